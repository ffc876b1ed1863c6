import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { Engine } from '@strata/delta';
import type { Destination } from '../destination.ts';
import type { ColumnSpec, JsonValue, Source, SourceBatch, SourceContext } from '../source.ts';

/** A database server the shared suites run against, with what differs between dialects. */
export interface TestDatabase {
  readonly dialect: string;
  /** A new schema (PostgreSQL) or database (MySQL) with a unique name, dropped when the test ends. */
  scope(t: TestContext): Promise<TestScope>;
  source(config: unknown): Source;
  destination(config: unknown): Destination;
  /** DDL of a timestamp column, and the DuckDB type the source reads it as. */
  readonly timestamp: { readonly ddl: string; readonly duckdb: string };
  /** SQL: the timestamp `2024-01-01 00:00:00` UTC plus `seconds` (an SQL expression) seconds. */
  secondsAfter(seconds: string): string;
  /** SQL selecting the integers 1..n as column `n`. */
  series(n: number): string;
  /** A DuckDB expression of a type the destination cannot write, and that type. */
  readonly unmappable: { readonly sql: string; readonly type: string };
  /** A connection as `user` (who does not exist) to the server. */
  connectionAs(user: string): string;
  /** A connection with `password` to a port where nothing listens. */
  unreachable(port: number, password: string): string;
}

export interface TestScope {
  /** The schema or database: tables are named `${name}.table`. */
  readonly name: string;
  /** The connection sources and destinations use. */
  readonly connection: string;
  /** Runs one statement on the scope's own connection and returns its rows. */
  sql(statement: string): Promise<Record<string, unknown>[]>;
  /** The names of the scope's tables, sorted. */
  tables(): Promise<string[]>;
}

/** A context for reading a source in tests; `logs` collects `level: message` lines. */
export function testContext(engine: Engine, logs: string[] = [], signal = new AbortController().signal): SourceContext {
  return { engine, signal, log: (level, message) => logs.push(`${level}: ${message}`) };
}

export async function readAll(source: Source, stream: string, state: JsonValue | undefined, ctx: SourceContext): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const batch of source.read(stream, state, ctx)) batches.push(batch);
  return batches;
}

export function typed(batch: SourceBatch | undefined): { columns: readonly ColumnSpec[]; rows: readonly Readonly<Record<string, unknown>>[] } {
  if (batch?.data.kind !== 'typed') throw new Error(`expected a typed batch, got ${batch ? batch.data.kind : 'none'}`);
  return batch.data;
}

export const idsOf = (batches: readonly SourceBatch[]): number[] => batches.flatMap((b) => typed(b).rows.map((r) => Number(r.id)));
export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Loads typed rows into DuckDB the way the bronze loader stages them (newline-delimited JSON read
 * with the declared column types) and returns them with every value cast to VARCHAR.
 */
export async function throughDuckdb(engine: Engine, columns: readonly ColumnSpec[], rows: readonly Readonly<Record<string, unknown>>[]): Promise<Record<string, unknown>[]> {
  const file = join(engine.tempDir, `typed-${randomUUID()}.ndjson`);
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const spec = columns.map((c) => `${lit(c.name)}: ${lit(c.type)}`).join(', ');
  const select = columns.map((c) => `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`).join(', ');
  return engine.query(`SELECT ${select} FROM read_json(${lit(file)}, format = 'newline_delimited', columns = {${spec}})`);
}

/** The number of export staging tables left in the DuckDB session. */
export async function stagedRelations(engine: Engine): Promise<number> {
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'strata_export_%'`);
  return Number(row?.n);
}

/** A local port where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
