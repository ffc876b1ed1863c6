import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '@strata/delta';
import type { BenchConfig } from './args.ts';
import type { BenchmarkResult } from './report.ts';

/** What every benchmark gets: one DuckDB session shared by both sides, the sizes, and a scratch directory. */
export interface BenchContext {
  /** Used for the Strata side and for the plain-DuckDB baseline alike, so both run with the same settings. */
  readonly engine: Engine;
  readonly config: BenchConfig;
  /** An empty directory the benchmark owns; removed after it finishes. */
  readonly dir: string;
}

export type Benchmark = (ctx: BenchContext) => Promise<BenchmarkResult>;

/** Number and total size of the files under a directory, recursively. */
export async function diskUsage(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Deep equality of two query results, with a relative tolerance for floating-point sums. */
export function sameRows(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((row, i) => {
    const other = b[i];
    if (!other) return false;
    const keys = Object.keys(row);
    if (keys.length !== Object.keys(other).length) return false;
    return keys.every((k) => sameValue(row[k], other[k]));
  });
}

function sameValue(x: unknown, y: unknown): boolean {
  if (typeof x === 'number' && typeof y === 'number') return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  return x === y;
}
