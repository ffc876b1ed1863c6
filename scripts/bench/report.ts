import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchConfig, BenchmarkName } from './args.ts';
import type { Machine } from './machine.ts';
import type { Sample } from './timing.ts';

/** A goal a measurement is checked against. */
export interface Target {
  readonly text: string;
  readonly met: boolean;
}

/** One line of the report: Strata's time next to plain DuckDB's, or a plain value. */
export interface Measurement {
  readonly name: string;
  readonly strata?: Sample;
  readonly duckdb?: Sample;
  /** Strata median / DuckDB median, when both are timed. */
  readonly ratio?: number;
  /** A non-time result, e.g. "2 of 120 files (1.7 %)". */
  readonly value?: string;
  readonly target?: Target;
}

export interface BenchmarkResult {
  readonly name: BenchmarkName;
  readonly parameters: Readonly<Record<string, number | string>>;
  readonly measurements: readonly Measurement[];
  /** Facts worth reading with the numbers (what was compared, correctness checks). */
  readonly notes: readonly string[];
}

export interface RunReport {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: Machine;
  readonly config: BenchConfig;
  readonly totalSeconds: number;
  /** 1, 5 and 15 minute load averages when the run ended. */
  readonly loadAverageAtEnd: readonly number[];
  readonly results: readonly BenchmarkResult[];
}

/** A measurement comparing two timings, with the ratio filled in. */
export function compare(name: string, strata: Sample, duckdb: Sample, target?: (ratio: number) => Target): Measurement {
  const ratio = strata.median / duckdb.median;
  return { name, strata, duckdb, ratio, target: target?.(ratio) };
}

export function ratioAtMost(limit: number): (ratio: number) => Target {
  return (ratio) => ({ text: `≤ ${limit.toFixed(2)}×`, met: ratio <= limit });
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function renderMachine(m: Machine): string {
  return [
    `CPU     ${m.cpuModel} — ${m.cores} logical cores`,
    `RAM     ${m.ramGiB.toFixed(1)} GiB`,
    `OS      ${m.os}`,
    `Node    ${m.node}`,
    `DuckDB  ${m.duckdb} (@duckdb/node-api ${m.duckdbNodeApi}; threads ${m.duckdbThreads}, memory_limit ${m.duckdbMemoryLimit})`,
    `Load    ${m.loadAverage.join(' / ')} (1 / 5 / 15 min) at start`,
  ].join('\n');
}

/** The results as one aligned text table, notes below each benchmark. */
export function renderResults(results: readonly BenchmarkResult[]): string {
  const header = ['benchmark', 'measurement', 'strata (median)', 'duckdb (median)', 'ratio', 'target', ''];
  const rows: string[][] = [];
  for (const r of results) {
    r.measurements.forEach((m, i) => {
      rows.push([
        i === 0 ? r.name : '',
        m.name,
        m.strata ? formatMs(m.strata.median) : (m.value ?? ''),
        m.duckdb ? formatMs(m.duckdb.median) : '',
        m.ratio === undefined ? '' : `${m.ratio.toFixed(2)}×`,
        m.target?.text ?? '',
        m.target ? (m.target.met ? 'ok' : 'MISSED') : '',
      ]);
    });
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const row of rows) out.push(line(row));
  for (const r of results) {
    if (r.notes.length === 0) continue;
    out.push('', `${r.name}:`);
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return out.join('\n');
}

/** Writes the report to `<dir>/results-<UTC date and time>.json` and returns the path. */
export async function writeJson(dir: string, report: RunReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const file = join(dir, `results-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
