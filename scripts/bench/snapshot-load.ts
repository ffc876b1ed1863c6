import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltaTable } from '@strata/delta';
import type { BenchContext } from './context.ts';
import { formatBytes } from './context.ts';
import type { BenchmarkResult } from './report.ts';
import { compare, formatInt, formatMs } from './report.ts';
import { lit } from './sql.ts';
import { progress, sample, timed } from './timing.ts';

/**
 * Builds a table of `commits` small appends (the default `delta.checkpointInterval` of 10 makes a
 * checkpoint every 10 commits), then times cold loads of the latest snapshot: a new `DeltaTable`
 * each time, sharing the DuckDB session. The baseline reads the same checkpoint Parquet file with
 * plain DuckDB.
 */
export async function snapshotLoad({ engine, config, dir }: BenchContext): Promise<BenchmarkResult> {
  const location = join(dir, 'table');
  const writer = await DeltaTable.open(location, { engine });
  const build = await timed(async () => {
    for (let v = 0; v < config.commits; v++) {
      await writer.write(`SELECT ${v * 3} + i AS id, ${v} AS commit_no, 'row ' || i AS label, TIMESTAMP '2024-01-01' + to_minutes(${v}) AS ts FROM range(3) AS r(i)`);
      if ((v + 1) % 100 === 0) progress(`snapshot-load: ${v + 1}/${config.commits} commits written`);
    }
  });

  const logDir = join(location, '_delta_log');
  const log = await readdir(logDir);
  const hint = JSON.parse(await readFile(join(logDir, '_last_checkpoint'), 'utf8')) as { version: number; size: number; sizeInBytes: number };
  const checkpoint = join(logDir, `${String(hint.version).padStart(20, '0')}.checkpoint.parquet`);
  const commitsAfter = log.filter((name) => /^\d{20}\.json$/.test(name) && Number(name.slice(0, 20)) > hint.version).length;

  const loadStrata = async () => {
    const table = await DeltaTable.open(location, { engine });
    return table.snapshot();
  };
  const readAll = () => engine.query(`SELECT * FROM read_parquet(${lit(checkpoint)})`);
  const countOnly = () => engine.query(`SELECT count(*) AS n FROM read_parquet(${lit(checkpoint)})`);

  const runs = { strata: [] as number[], rows: [] as number[], count: [] as number[] };
  let first: number | undefined;
  let loaded = { version: -1, files: 0 };
  let checkpointRows = 0;
  for (let i = 0; i < config.loads; i++) {
    const strata = await timed(loadStrata);
    first ??= strata.ms;
    runs.strata.push(strata.ms);
    loaded = { version: strata.value.version, files: strata.value.files.length };
    const rows = await timed(readAll);
    runs.rows.push(rows.ms);
    checkpointRows = rows.value.length;
    runs.count.push((await timed(countOnly)).ms);
  }
  progress(`snapshot-load: ${config.loads} cold loads timed`);

  const strata = sample(runs.strata);
  return {
    name: 'snapshot-load',
    parameters: { commits: config.commits, loads: config.loads },
    measurements: [
      {
        ...compare('snapshot() cold vs read checkpoint rows', strata, sample(runs.rows)),
        target: { text: '< 100 ms', met: strata.median < 100 },
      },
      compare('  vs checkpoint count(*) only', strata, sample(runs.count)),
      { name: '  first load of the run', value: first === undefined ? '' : formatMs(first) },
      { name: 'build: one small append', value: formatMs(build.ms / config.commits) },
    ],
    notes: [
      `table: latest version ${loaded.version}, ${formatInt(loaded.files)} data files; _delta_log holds ${log.length} entries`,
      `latest checkpoint: version ${hint.version} (${formatInt(checkpointRows)} rows, ${formatBytes(hint.sizeInBytes)}), then ${commitsAfter} JSON commits to replay`,
      `snapshot(): median of ${config.loads} loads, each with a new DeltaTable on the shared engine; baseline: SELECT * FROM read_parquet(<that checkpoint>) materialized as JS rows, and count(*)`,
      `build: ${formatInt(config.commits)} appends of 3 rows through DeltaTable.write in ${(build.ms / 1000).toFixed(1)} s (checkpoints written automatically)`,
    ],
  };
}
