import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltaTable } from '@strata/delta';
import type { BenchContext } from './context.ts';
import { sameRows } from './context.ts';
import type { BenchmarkResult, Measurement } from './report.ts';
import { compare, formatInt } from './report.ts';
import { dayDate, dayRows, lit, readParquetFiles } from './sql.ts';
import { progress, sample, timed } from './timing.ts';

interface Case {
  readonly name: string;
  readonly where: string;
}

/**
 * A table appended one day at a time, so `day`, `id` and `ts` are correlated with the file. Selective
 * predicates go through `scanSql({ where })`; the files kept are counted from the generated SQL's
 * read_parquet list. Baseline: the same days as one Parquet file each, queried with plain DuckDB.
 */
export async function skipping({ engine, config, dir }: BenchContext): Promise<BenchmarkResult> {
  const location = join(dir, 'table');
  const plain = join(dir, 'parquet');
  await mkdir(plain, { recursive: true });
  const writer = await DeltaTable.open(location, { engine });
  for (let d = 0; d < config.days; d++) {
    await writer.write(dayRows(d, config.rowsPerDay));
    await engine.exec(`COPY (${dayRows(d, config.rowsPerDay)}) TO ${lit(join(plain, `day_${d}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
    if ((d + 1) % 20 === 0) progress(`skipping: ${d + 1}/${config.days} days written`);
  }
  const total = (await writer.snapshot()).files.length;

  const mid = Math.floor(config.days / 2);
  const firstId = mid * config.rowsPerDay + Math.floor(config.rowsPerDay / 3);
  const narrow = Math.max(1, Math.min(1000, Math.floor(config.rowsPerDay / 10)));
  const cases: Case[] = [
    { name: `one day (day = DATE '${dayDate(mid)}')`, where: `day = DATE '${dayDate(mid)}'` },
    { name: `${formatInt(narrow)} ids (id BETWEEN …)`, where: `id BETWEEN ${firstId} AND ${firstId + narrow - 1}` },
    {
      name: 'one hour (ts >= … AND ts < …)',
      where: `ts >= TIMESTAMP '${dayDate(mid)} 01:00:00' AND ts < TIMESTAMP '${dayDate(mid)} 02:00:00'`,
    },
  ];

  const measurements: Measurement[] = [];
  const notes: string[] = [];
  for (const c of cases) {
    const strataQuery = async () => {
      const table = await DeltaTable.open(location, { engine });
      const sql = await table.scanSql({ where: c.where });
      return { sql, rows: await engine.query(`SELECT count(*) AS n, sum(amount) AS amount FROM (${sql})`) };
    };
    const duckdbQuery = () =>
      engine.query(`SELECT count(*) AS n, sum(amount) AS amount FROM read_parquet(${lit(join(plain, '*.parquet'))}) WHERE ${c.where}`);

    const warm = await strataQuery();
    const read = readParquetFiles(warm.sql).length;
    const same = sameRows(warm.rows, await duckdbQuery());
    const runs = { strata: [] as number[], duckdb: [] as number[] };
    const repeats = Math.max(5, config.repeats);
    for (let rep = 0; rep < repeats; rep++) {
      if (rep % 2 === 0) {
        runs.strata.push((await timed(strataQuery)).ms);
        runs.duckdb.push((await timed(duckdbQuery)).ms);
      } else {
        runs.duckdb.push((await timed(duckdbQuery)).ms);
        runs.strata.push((await timed(strataQuery)).ms);
      }
    }
    const share = read / total;
    measurements.push({
      name: `${c.name}: files read`,
      value: `${read} of ${total} (${(share * 100).toFixed(1)} %)`,
      target: { text: '≤ 10 %', met: share <= 0.1 },
    });
    measurements.push(compare('  time, count + sum', sample(runs.strata), sample(runs.duckdb)));
    notes.push(`${c.where}: ${formatInt(Number(warm.rows[0]?.n ?? 0))} rows; results ${same ? 'identical' : 'DIFFERENT'} on both sides`);
  }
  progress('skipping: queries timed');
  notes.push(
    `table: ${config.days} appends of ${formatInt(config.rowsPerDay)} rows (one day each) → ${total} data files; baseline: ${config.days} Parquet files, one per day`,
    `files read are counted from the read_parquet list of table.scanSql({ where }); times are medians of ${Math.max(5, config.repeats)} runs after one warm-up and include opening the table, loading the snapshot and building the scan SQL`,
  );
  return {
    name: 'skipping',
    parameters: { days: config.days, rowsPerDay: config.rowsPerDay, files: total },
    measurements,
    notes,
  };
}
