import type { Engine } from '@strata/delta';
import type { BatchData } from '../source.ts';
import { literal } from './sql.ts';
import { NO_ROWS } from './staged.ts';
import type { TempTables } from './staged.ts';

/** DuckDB's JSON types that do not fit a bronze column, and what they become. */
const TYPE_FIXES: Readonly<Record<string, string>> = {
  // Only null seen: kept as JSON, so that any later value fits.
  NULL: 'JSON',
  // JSON integers: BIGINT, as Delta has no unsigned or 128-bit integers (an integer of 2^63 or
  // more, which JSON tools seldom produce exactly, would not fit and be NULL).
  UBIGINT: 'BIGINT',
  HUGEINT: 'BIGINT',
  UHUGEINT: 'BIGINT',
};

/**
 * Turns JSON values staged in a temporary table (one JSON column `j`) into typed rows, one column
 * per field, with the types DuckDB infers over every record (`json_group_structure`): numbers,
 * booleans and strings get their type, nested objects become STRUCTs, arrays LISTs, and a field
 * seen with different types stays JSON. Only objects become rows; see `nonObjects`.
 */
export async function typeRecords(engine: Engine, tables: TempTables, raw: string): Promise<{ data: BatchData; rows: number }> {
  const [info] = await engine.query<{ s: string | null; n: number }>(
    `SELECT CAST(json_group_structure(j) AS VARCHAR) AS s, count(*) AS n FROM ${raw} WHERE json_type(j) = 'OBJECT'`,
  );
  const rows = Number(info?.n ?? 0);
  if (rows === 0 || !info?.s) return { data: NO_ROWS, rows: 0 };
  const structure = JSON.parse(info.s) as Record<string, unknown>;
  // Records that are all `{}`: rows without fields (DuckDB has no struct without fields).
  if (Object.keys(structure).length === 0) {
    return { data: { kind: 'records', records: Array.from({ length: rows }, () => ({})) }, rows };
  }
  const typed = tables.create('json');
  await engine.exec(
    `CREATE TEMP TABLE ${typed.ref} AS SELECT unnest(json_transform(j, ${literal(JSON.stringify(fitTypes(structure)))})) FROM ${raw} WHERE json_type(j) = 'OBJECT'`,
  );
  return { data: { kind: 'sql', sql: `SELECT * FROM ${typed.ref}` }, rows };
}

/** The staged values that are not JSON objects (arrays, strings, numbers…), with their JSON type. */
export async function nonObjects(engine: Engine, raw: string): Promise<{ text: string; type: string }[]> {
  return engine.query<{ text: string; type: string }>(
    `SELECT CAST(j AS VARCHAR) AS text, json_type(j) AS type FROM ${raw} WHERE json_type(j) <> 'OBJECT'`,
  );
}

const KINDS: Readonly<Record<string, string>> = {
  ARRAY: 'an array',
  VARCHAR: 'a string',
  BOOLEAN: 'a boolean',
  NULL: 'null',
  BIGINT: 'a number',
  UBIGINT: 'a number',
  HUGEINT: 'a number',
  DOUBLE: 'a number',
};

/** Why a JSON value that is not an object is rejected. */
export function nonObjectReason(type: string): string {
  return `${KINDS[type] ?? `a JSON ${type.toLowerCase()}`}, not an object: a record must be a JSON object`;
}

function fitTypes(t: unknown): unknown {
  if (typeof t === 'string') return TYPE_FIXES[t] ?? t;
  if (Array.isArray(t)) return [fitTypes(t[0])];
  if (t === null || typeof t !== 'object') return 'JSON';
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(t)) {
    // DuckDB column and field names ignore case: of `Code` and `code`, the first seen is kept.
    const folded = key.toLowerCase();
    if (seen.has(folded)) continue;
    seen.add(folded);
    out[key] = fitTypes(value);
  }
  return Object.keys(out).length > 0 ? out : 'JSON';
}
