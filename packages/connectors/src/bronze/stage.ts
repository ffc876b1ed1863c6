import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '@strata/delta';
import { ConnectorError } from '../errors.ts';
import type { BatchData } from '../source.ts';
import { LOAD_COLUMNS, ident, isReservedColumn, literal } from './columns.ts';
import type { TypeChange } from './records.ts';
import { prepareRecords } from './records.ts';

/** A batch made readable by DuckDB: an SQL relation, and what to clean up after it was written. */
export interface StagedBatch {
  /** Undefined when the batch has no rows. */
  readonly sql?: string;
  readonly typeChanges: readonly TypeChange[];
  dispose(): Promise<void>;
}

const jsonOut = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/**
 * Stages a batch for the engine: records and typed rows are written as newline-delimited JSON in
 * the engine's temporary folder and read back with explicit column types; an SQL batch is used as
 * it is. `tableTypes` (lower-cased column → DuckDB type) types the columns the table already has.
 */
export async function stageBatch(engine: Engine, data: BatchData, tableTypes: ReadonlyMap<string, string>, stream: string): Promise<StagedBatch> {
  if (data.kind === 'sql') return { sql: data.sql, typeChanges: [], dispose: async () => undefined };
  let rows: readonly Readonly<Record<string, unknown>>[];
  let columns: Map<string, string>;
  let typeChanges: TypeChange[] = [];
  if (data.kind === 'records') {
    const prepared = prepareRecords(data.records, tableTypes);
    ({ rows, columns, typeChanges } = prepared);
    if (prepared.rows.some((r) => LOAD_COLUMNS.rescued in r)) columns.set(LOAD_COLUMNS.rescued, 'VARCHAR');
  } else {
    rows = data.rows;
    columns = new Map(data.columns.map((c) => [c.name, c.type]));
  }
  const reserved = [...columns.keys()].find((c) => c !== LOAD_COLUMNS.rescued && isReservedColumn(c));
  if (reserved) throw new ConnectorError('CONNECTOR_WRITE', `stream ${stream}: field "${reserved}" has the name of a load metadata column`);
  if (rows.length === 0 || columns.size === 0) return { typeChanges, dispose: async () => undefined };
  const file = join(engine.tempDir, `batch-${randomUUID()}.ndjson`);
  const lines = rows.map((r) => JSON.stringify(r, jsonOut));
  await writeFile(file, `${lines.join('\n')}\n`);
  const spec = [...columns].map(([name, type]) => `${literal(name)}: ${literal(type)}`).join(', ');
  return {
    sql: `SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited', columns = {${spec}})`,
    typeChanges,
    dispose: () => rm(file, { force: true }),
  };
}

/** Lower-cased column name → DuckDB type of a relation. */
export async function columnTypes(engine: Engine, sql: string): Promise<Map<string, string>> {
  const { names, types } = await engine.describe(sql);
  return new Map(names.map((n, i) => [n.toLowerCase(), String(types[i])]));
}

export { ident };
