import { performance } from 'node:perf_hooks';

/** Repeated timings of one measurement, in milliseconds. */
export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function sample(runs: readonly number[]): Sample {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs: runs.map(round) };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Progress goes to stderr so that stdout holds only the report. */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
