import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltaTable } from '@strata/delta';
import type { BenchContext } from './context.ts';
import { diskUsage, formatBytes, sameRows } from './context.ts';
import type { BenchmarkResult, Measurement } from './report.ts';
import { compare, formatInt, ratioAtMost } from './report.ts';
import { lit, salesAggregate, salesRows } from './sql.ts';
import { progress, sample, timed } from './timing.ts';

/** The writers compared; `duckdb-tz` is plain DuckDB writing `ts` as TIMESTAMPTZ, the type the table stores. */
const SIDES = ['strata', 'duckdb', 'duckdb-tz'] as const;
type Side = (typeof SIDES)[number];

/**
 * Appends `rows` rows in `batches` commits through `DeltaTable.write`, against plain DuckDB writing
 * the same generated batches with `COPY … TO file_i.parquet`; then reads both back with the same
 * aggregate. The Strata scan time includes loading the snapshot and building the scan SQL.
 */
export async function writeScan({ engine, config, dir }: BenchContext): Promise<BenchmarkResult> {
  const ranges = splitRange(config.rows, config.batches);
  const writeRuns: Record<Side, number[]> = { strata: [], duckdb: [], 'duckdb-tz': [] };
  const stepRuns: Record<Side, number[]> = { strata: [], duckdb: [], 'duckdb-tz': [] };

  const writeStrata = async (target: string) => {
    const table = await DeltaTable.open(target, { engine });
    for (const [from, to] of ranges) {
      const { ms } = await timed(() => table.write(salesRows(from, to)));
      stepRuns.strata.push(ms);
    }
  };
  const writeDuckdb = (side: Side, source: (sql: string) => string) => async (target: string) => {
    await mkdir(target, { recursive: true });
    for (const [i, [from, to]] of ranges.entries()) {
      const file = join(target, `file_${i}.parquet`);
      const { ms } = await timed(() => engine.exec(`COPY (${source(salesRows(from, to))}) TO ${lit(file)} (FORMAT parquet, COMPRESSION snappy)`));
      stepRuns[side].push(ms);
    }
  };
  const writers: Record<Side, (target: string) => Promise<void>> = {
    strata: writeStrata,
    duckdb: writeDuckdb('duckdb', (sql) => sql),
    'duckdb-tz': writeDuckdb('duckdb-tz', (sql) => `SELECT id, CAST(ts AS TIMESTAMPTZ) AS ts, category, amount FROM (${sql})`),
  };

  // Warm up every path (first-use costs inside DuckDB and Node) on a small batch, untimed.
  const warmup = await DeltaTable.open(join(dir, 'warmup-strata'), { engine });
  await warmup.write(salesRows(0, 10_000));
  await mkdir(join(dir, 'warmup-duckdb'));
  await engine.exec(`COPY (${salesRows(0, 10_000)}) TO ${lit(join(dir, 'warmup-duckdb', 'w.parquet'))} (FORMAT parquet, COMPRESSION snappy)`);

  const latest: Record<Side, string> = { strata: '', duckdb: '', 'duckdb-tz': '' };
  for (let rep = 0; rep < config.repeats; rep++) {
    // Rotate which side goes first so that none always runs on a warmer (or fuller) machine.
    const order = SIDES.map((_, i) => SIDES[(i + rep) % SIDES.length] as Side);
    for (const side of order) {
      const target = join(dir, `${side}-${rep}`);
      const { ms } = await timed(() => writers[side](target));
      writeRuns[side].push(ms);
      progress(`write-scan: ${side} wrote ${formatInt(config.rows)} rows in ${ranges.length} steps: ${(ms / 1000).toFixed(2)} s (run ${rep + 1}/${config.repeats})`);
      if (latest[side]) await rm(latest[side], { recursive: true, force: true });
      latest[side] = target;
    }
  }

  const table = await DeltaTable.open(latest.strata, { engine });
  const baseline = `read_parquet(${lit(join(latest.duckdb, '*.parquet'))})`;
  const scanStrata = async () => {
    const opened = await DeltaTable.open(latest.strata, { engine });
    const built = await timed(() => opened.scanSql());
    const ran = await timed(() => engine.query(salesAggregate(`(${built.value})`)));
    return { rows: ran.value, buildMs: built.ms, queryMs: ran.ms };
  };
  const scanDuckdb = () => engine.query(salesAggregate(baseline));

  const strataRows = (await scanStrata()).rows;
  const duckdbRows = await scanDuckdb();
  const scanRuns = { strata: [] as number[], duckdb: [] as number[] };
  const buildRuns: number[] = [];
  const queryRuns: number[] = [];
  const scanRepeats = Math.max(5, config.repeats);
  for (let rep = 0; rep < scanRepeats; rep++) {
    for (const side of rep % 2 === 0 ? ['strata', 'duckdb'] : ['duckdb', 'strata']) {
      if (side === 'strata') {
        const { ms, value } = await timed(scanStrata);
        scanRuns.strata.push(ms);
        buildRuns.push(value.buildMs);
        queryRuns.push(value.queryMs);
      } else {
        scanRuns.duckdb.push((await timed(scanDuckdb)).ms);
      }
    }
  }
  progress(`write-scan: scans done (${scanRepeats} runs each)`);

  const snapshot = await table.snapshot();
  const strataDisk = await diskUsage(latest.strata);
  const duckdbDisk = await diskUsage(latest.duckdb);
  const rowsPerBatch = formatInt(Math.ceil(config.rows / ranges.length));
  const measurements: Measurement[] = [
    compare(`write ${ranges.length} × ${rowsPerBatch} rows`, sample(writeRuns.strata), sample(writeRuns.duckdb), ratioAtMost(1.3)),
    compare('  one commit / one COPY', sample(stepRuns.strata), sample(stepRuns.duckdb)),
    compare('  vs DuckDB writing ts as TIMESTAMPTZ', sample(writeRuns.strata), sample(writeRuns['duckdb-tz'])),
    compare('scan: group-by aggregate, all rows', sample(scanRuns.strata), sample(scanRuns.duckdb), ratioAtMost(1.1)),
    { name: '  of which snapshot() + scanSql()', strata: sample(buildRuns) },
    compare('  of which the aggregate query', sample(queryRuns), sample(scanRuns.duckdb)),
  ];
  return {
    name: 'write-scan',
    parameters: { rows: config.rows, commits: ranges.length, repeats: config.repeats, scanRepeats },
    measurements,
    notes: [
      `write: median of ${config.repeats} runs of ${ranges.length} appends each, a fresh table or directory per run, rotating which side goes first; each batch is generated by the same range() query on both sides`,
      `table: version ${snapshot.version}, ${snapshot.files.length} data files, ${formatBytes(snapshot.sizeInBytes)}; _delta_log and data ${formatBytes(strataDisk.bytes)} in ${strataDisk.files} files`,
      `baseline: ${duckdbDisk.files} Parquet files, ${formatBytes(duckdbDisk.bytes)}; the table stores ts as Delta ${JSON.stringify(snapshot.schema.fields.find((f) => f.name === 'ts')?.type)}, so the "TIMESTAMPTZ" row is DuckDB writing the same column types as the table`,
      `scan: median of ${scanRepeats} runs after one warm-up; Strata opens the table, loads the snapshot, builds the scan SQL and runs the aggregate over it; DuckDB runs it over read_parquet('*.parquet')`,
      `results: ${sameRows(strataRows, duckdbRows) ? 'identical' : 'DIFFERENT'} aggregates on both sides (${strataRows.length} categories, ${formatInt(strataRows.reduce((n, r) => n + Number(r.n), 0))} rows)`,
    ],
  };
}

/** `[from, to)` id ranges of `n` rows split into `parts` nearly equal batches. */
function splitRange(n: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, i) => [Math.floor((i * n) / parts), Math.floor(((i + 1) * n) / parts)]);
}
