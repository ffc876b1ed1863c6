import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { Engine } from '@strata/delta';

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  readonly duckdb: string;
  readonly duckdbNodeApi: string;
  readonly duckdbThreads: number;
  readonly duckdbMemoryLimit: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews timings. */
  readonly loadAverage: readonly number[];
}

/** Describes the machine and the DuckDB session the benchmarks run on. */
export async function describeMachine(engine: Engine): Promise<Machine> {
  const [row] = await engine.query<{ version: string; source_id: string; threads: number; memory_limit: string }>(
    `SELECT version() AS version, (SELECT source_id FROM pragma_version()) AS source_id,
            current_setting('threads') AS threads, current_setting('memory_limit') AS memory_limit`,
  );
  return {
    cpuModel: await cpuModel(),
    cores: cpus().length,
    ramGiB: totalmem() / 2 ** 30,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    duckdb: row ? `${row.version} (${row.source_id})` : 'unknown',
    duckdbNodeApi: packageVersion('@duckdb/node-api'),
    duckdbThreads: Number(row?.threads ?? 0),
    duckdbMemoryLimit: row?.memory_limit ?? 'unknown',
    loadAverage: loadAverageNow(),
  };
}

async function cpuModel(): Promise<string> {
  try {
    const text = await readFile('/proc/cpuinfo', 'utf8');
    const m = /^model name\s*:\s*(.+)$/m.exec(text);
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name: string): string {
  try {
    // Resolved from the delta package, which is what depends on DuckDB.
    const require = createRequire(import.meta.resolve('@strata/delta'));
    const pkg = require(`${name}/package.json`) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function loadAverageNow(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}
