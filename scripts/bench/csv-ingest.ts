import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSource, loadStream } from '@strata/connectors';
import type { LoadReport } from '@strata/connectors';
import { DeltaTable } from '@strata/delta';
import type { Engine } from '@strata/delta';
import { LocalObjectStore } from '@strata/storage';
import type { BenchContext } from './context.ts';
import { diskUsage, formatBytes } from './context.ts';
import type { BenchmarkResult, Measurement } from './report.ts';
import { compare, formatInt, ratioAtMost } from './report.ts';
import { lit } from './sql.ts';
import { progress, sample, timed } from './timing.ts';

/**
 * The sides compared: the bronze loader; plain DuckDB reading all files in one COPY (the target's
 * reference), the same adding the columns every bronze row carries, and one COPY per file.
 */
const SIDES = ['strata', 'duckdb', 'duckdb-bronze-columns', 'duckdb-per-file'] as const;
type Side = (typeof SIDES)[number];

/**
 * CSV into bronze: `loadStream(fileSource(…))` landing `files` CSV files (`rows` rows of 10 columns
 * in all) in a Delta table on local disk, against plain DuckDB reading the same files as text and
 * writing Parquet (`COPY (SELECT * FROM read_csv([…], all_varchar = true)) TO 'x.parquet'`).
 */
export async function csvIngest({ engine, config, dir }: BenchContext): Promise<BenchmarkResult> {
  const repeats = Math.max(5, config.repeats);
  const landing = join(dir, 'landing');
  const files = await generateCsv(engine, landing, config.csvRows, config.csvFiles);
  const input = await diskUsage(landing);
  progress(`csv-ingest: ${files.length} CSV files, ${formatInt(config.csvRows)} rows, ${formatBytes(input.bytes)}`);
  const list = `[${files.map(lit).join(', ')}]`;

  const reports: LoadReport[] = [];
  const counts: Record<Side, number[]> = { strata: [], duckdb: [], 'duckdb-bronze-columns': [], 'duckdb-per-file': [] };
  const sides: Record<Side, (target: string) => Promise<void>> = {
    strata: async (target) => {
      const store = new LocalObjectStore({ directory: target });
      const report = await loadStream(
        fileSource({ stream: 'orders', location: landing, glob: '*.csv' }),
        'orders',
        {
          engine,
          table: () => DeltaTable.open(store.child('orders'), { engine }),
          quarantine: () => DeltaTable.open(store.child('orders__quarantine'), { engine }),
        },
        { runId: 'bench' },
      );
      reports.push(report);
    },
    duckdb: async (target) => {
      await mkdir(target, { recursive: true });
      await engine.exec(`COPY (SELECT * FROM read_csv(${list}, all_varchar = true)) TO ${lit(join(target, 'x.parquet'))} (FORMAT parquet)`);
    },
    'duckdb-bronze-columns': async (target) => {
      await mkdir(target, { recursive: true });
      const columns = `TIMESTAMPTZ ${lit(new Date().toISOString())} AS _ingested_at, ${lit(`files:${landing}`)} AS _source,
        ${lit(randomUUID())} AS _batch_id, 'bench' AS _run_id, parse_filename(filename) AS _file_path,
        ${lit('0'.repeat(64))} AS _file_checksum, ${lit(new Date().toISOString())} AS _file_modified`;
      await engine.exec(
        `COPY (SELECT * EXCLUDE (filename), ${columns} FROM read_csv(${list}, all_varchar = true, filename = true)) TO ${lit(join(target, 'x.parquet'))} (FORMAT parquet)`,
      );
    },
    'duckdb-per-file': async (target) => {
      await mkdir(target, { recursive: true });
      for (const [i, file] of files.entries()) {
        await engine.exec(`COPY (SELECT * FROM read_csv(${lit(file)}, all_varchar = true)) TO ${lit(join(target, `x${i}.parquet`))} (FORMAT parquet)`);
      }
    },
  };
  const rowsOf: Record<Side, (target: string) => Promise<number>> = {
    strata: async (target) => {
      const table = await DeltaTable.open(new LocalObjectStore({ directory: target }).child('orders'), { engine });
      return countOf(engine, `(${await table.scanSql()})`);
    },
    duckdb: (target) => countOf(engine, `read_parquet(${lit(join(target, '*.parquet'))})`),
    'duckdb-bronze-columns': (target) => countOf(engine, `read_parquet(${lit(join(target, '*.parquet'))})`),
    'duckdb-per-file': (target) => countOf(engine, `read_parquet(${lit(join(target, '*.parquet'))})`),
  };

  // Warm up every path (first-use costs inside DuckDB and Node) on the first file, untimed.
  const warmLanding = join(dir, 'warmup-landing');
  await generateCsv(engine, warmLanding, 20_000, 1);
  await loadStream(
    fileSource({ stream: 'warm', location: warmLanding, glob: '*.csv' }),
    'warm',
    { engine, table: () => DeltaTable.open(join(dir, 'warmup-strata'), { engine }), quarantine: () => DeltaTable.open(join(dir, 'warmup-q'), { engine }) },
    { runId: 'warmup' },
  );
  await sides.duckdb(join(dir, 'warmup-duckdb'));

  const runs: Record<Side, number[]> = { strata: [], duckdb: [], 'duckdb-bronze-columns': [], 'duckdb-per-file': [] };
  for (let rep = 0; rep < repeats; rep++) {
    // Rotate which side goes first so that none always runs on a warmer (or fuller) machine.
    const order = SIDES.map((_, i) => SIDES[(i + rep) % SIDES.length] as Side);
    for (const side of order) {
      const target = join(dir, `${side}-${rep}`);
      const { ms } = await timed(() => sides[side](target));
      runs[side].push(ms);
      counts[side].push(await rowsOf[side](target));
      progress(`csv-ingest: ${side} ${(ms / 1000).toFixed(2)} s (run ${rep + 1}/${repeats})`);
      await rm(target, { recursive: true, force: true });
    }
  }

  const allCounts = Object.values(counts).flat();
  const same = allCounts.every((n) => n === config.csvRows);
  const last = reports.at(-1);
  const measurements: Measurement[] = [
    compare(`${files.length} CSV files, ${formatInt(config.csvRows)} rows → bronze`, sample(runs.strata), sample(runs.duckdb), ratioAtMost(1.3)),
    compare('  vs DuckDB adding the bronze columns', sample(runs.strata), sample(runs['duckdb-bronze-columns'])),
    compare('  DuckDB: bronze columns vs none', sample(runs['duckdb-bronze-columns']), sample(runs.duckdb)),
    compare('  DuckDB: one COPY per file vs one COPY', sample(runs['duckdb-per-file']), sample(runs.duckdb)),
  ];
  return {
    name: 'csv-ingest',
    parameters: { rows: config.csvRows, files: files.length, columns: 10, bytes: input.bytes, repeats },
    measurements,
    notes: [
      `input: ${files.length} CSV files, ${formatBytes(input.bytes)}, 10 columns (ids, text, numbers, dates and timestamps, a quoted text with commas)`,
      `strata: loadStream(fileSource(…)) into a fresh Delta table per run: SHA-256 of each file, each file sniffed on its own, rows read in place with rejected lines kept, 7 load and file columns, one Delta commit per batch (${last?.batches ?? '?'} batch(es), ${last?.rejected ?? '?'} record(s) quarantined)`,
      `duckdb: COPY (SELECT * FROM read_csv([${files.length} files], all_varchar = true)) TO 'x.parquet' (FORMAT parquet); bronze columns: the same with _ingested_at, _source, _batch_id, _run_id, _file_path, _file_checksum, _file_modified added; per file: the plain COPY, one per file`,
      `median of ${repeats} runs per side after one warm-up, rotating which side goes first`,
      `rows: ${same ? `${formatInt(config.csvRows)} on every side and run` : `DIFFERENT (${JSON.stringify(counts)})`}`,
    ],
  };
}

async function countOf(engine: Engine, relation: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${relation}`);
  return Number(row?.n ?? 0);
}

/** Writes `rows` deterministic rows as `files` CSV files with a header; returns their paths in order. */
async function generateCsv(engine: Engine, dir: string, rows: number, files: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const path = join(dir, `orders-${String(f).padStart(3, '0')}.csv`);
    const from = Math.floor((f * rows) / files);
    const to = Math.floor(((f + 1) * rows) / files);
    await engine.exec(`COPY (${orderRows(from, to)}) TO ${lit(path)} (FORMAT csv, HEADER)`);
    paths.push(path);
  }
  return paths;
}

/** Orders with ids in [from, to): ten columns of the kinds a CSV export holds. */
function orderRows(from: number, to: number): string {
  return `SELECT i AS order_id,
    'C' || lpad(CAST(hash(i) % 100000 AS VARCHAR), 6, '0') AS customer_id,
    'Customer ' || CAST(hash(i + 1) % 50000 AS VARCHAR) AS customer_name,
    ['Paris', 'Lyon', 'Nîmes', 'Saint-Étienne', 'Aix-en-Provence'][CAST(hash(i + 2) % 5 AS INTEGER) + 1] AS city,
    CAST(CAST(hash(i + 3) % 1000000 AS DOUBLE) / 100 AS VARCHAR) AS amount,
    CAST(hash(i + 4) % 50 AS VARCHAR) AS quantity,
    DATE '2020-01-01' + CAST(hash(i + 5) % 1500 AS INTEGER) AS order_date,
    TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(hash(i + 6) % 31536000 AS BIGINT)) AS updated_at,
    CASE WHEN hash(i + 7) % 2 = 0 THEN 'true' ELSE 'false' END AS active,
    CASE WHEN i % 10 = 0 THEN 'gift, wrapped "with care"' ELSE 'order ' || CAST(i AS VARCHAR) END AS note
  FROM range(${from}, ${to}) AS r(i)`;
}
