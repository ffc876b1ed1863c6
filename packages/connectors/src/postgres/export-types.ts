import { parseDuckdbType } from '../sql-database/duckdb-types.ts';
import type { TargetColumn } from '../sql-database/target.ts';
import { decimalShape, numericFits } from '../sql-database/numeric-shape.ts';
import type { NumericShape } from '../sql-database/numeric-shape.ts';

/** How one DuckDB type is written to PostgreSQL. */
export interface PgWriteType {
  /** The PostgreSQL type, as `format_type` writes it; for DECIMAL, a function of precision and scale. */
  readonly type: string | ((args: readonly number[]) => string);
  /** DuckDB SQL rendering the column as the text PostgreSQL parses; a cast to VARCHAR when absent. */
  readonly render?: (column: string) => string;
  /** The placeholder with its conversion; `$n::type` when absent. */
  readonly placeholder?: (index: number) => string;
}

const asJson = (column: string) => `CAST(to_json(${column}) AS VARCHAR)`;
const json: PgWriteType = { type: 'jsonb', render: asJson };

/**
 * The DuckDB → PostgreSQL type table, by DuckDB base type. Unsigned integers take the next wider
 * type (UBIGINT and HUGEINT become numeric); lists, structs and maps become jsonb; BLOB is sent
 * as base64 and decoded into bytea. A type missing here (BIT, UNION, …) cannot be exported.
 */
export const PG_WRITE_TYPES: ReadonlyMap<string, PgWriteType> = new Map<string, PgWriteType>([
  ['BOOLEAN', { type: 'boolean' }],
  ['TINYINT', { type: 'smallint' }],
  ['UTINYINT', { type: 'smallint' }],
  ['SMALLINT', { type: 'smallint' }],
  ['USMALLINT', { type: 'integer' }],
  ['INTEGER', { type: 'integer' }],
  ['UINTEGER', { type: 'bigint' }],
  ['BIGINT', { type: 'bigint' }],
  ['UBIGINT', { type: 'numeric(20,0)' }],
  ['HUGEINT', { type: 'numeric(39,0)' }],
  ['UHUGEINT', { type: 'numeric(39,0)' }],
  ['FLOAT', { type: 'real' }],
  ['DOUBLE', { type: 'double precision' }],
  ['DECIMAL', { type: ([precision, scale]) => `numeric(${precision ?? 18},${scale ?? 3})` }],
  ['VARCHAR', { type: 'text' }],
  ['ENUM', { type: 'text' }],
  ['DATE', { type: 'date' }],
  ['TIME', { type: 'time without time zone' }],
  ['TIME WITH TIME ZONE', { type: 'time with time zone' }],
  ['TIMESTAMP', { type: 'timestamp without time zone' }],
  ['TIMESTAMP_S', { type: 'timestamp without time zone' }],
  ['TIMESTAMP_MS', { type: 'timestamp without time zone' }],
  ['TIMESTAMP_NS', { type: 'timestamp without time zone' }],
  ['TIMESTAMP WITH TIME ZONE', { type: 'timestamp with time zone' }],
  ['INTERVAL', { type: 'interval' }],
  ['UUID', { type: 'uuid' }],
  ['JSON', { type: 'jsonb' }],
  ['BLOB', { type: 'bytea', render: (c) => `to_base64(${c})`, placeholder: (i) => `decode($${i}, 'base64')` }],
  ['LIST', json],
  ['STRUCT', json],
  ['MAP', json],
]);

/** The column written for a relation column of `duckdbType`; undefined when the type has no mapping. */
export function pgTargetColumn(name: string, duckdbType: string): TargetColumn | undefined {
  const parsed = parseDuckdbType(duckdbType);
  const write = PG_WRITE_TYPES.get(parsed.base);
  if (!write) return undefined;
  const targetType = typeof write.type === 'string' ? write.type : write.type(parsed.args);
  return {
    name,
    duckdbType,
    targetType,
    render: write.render ?? ((c) => `CAST(${c} AS VARCHAR)`),
    placeholder: write.placeholder ?? ((i) => `$${i}::${targetType}`),
  };
}

const INTEGERS: Readonly<Record<string, NumericShape>> = {
  smallint: { needs: 5, holds: 4, scale: 0, signed: true, rank: 1 },
  integer: { needs: 10, holds: 9, scale: 0, signed: true, rank: 2 },
  bigint: { needs: 19, holds: 18, scale: 0, signed: true, rank: 3 },
};

function numericShape(type: string): NumericShape | undefined {
  if (type === 'numeric') return { needs: Infinity, holds: Infinity, scale: Infinity, signed: true };
  const m = /^numeric\((\d+),(\d+)\)$/.exec(type);
  return m ? decimalShape(Number(m[1]), Number(m[2])) : INTEGERS[type];
}

/**
 * Whether an existing column of `existing` type (as `format_type` writes it) takes the values of
 * `column` unchanged: the same type, or one of its family that holds all its values (bigint for
 * integer, numeric with as many integer and fraction digits, double for real, any text type for
 * text, json for jsonb, any precision of the same timestamp or time kind).
 */
export function pgCompatible(existing: string, column: TargetColumn): boolean {
  const wanted = column.targetType;
  if (existing === wanted) return true;
  const want = numericShape(wanted);
  if (want) {
    const has = numericShape(existing);
    return has !== undefined && numericFits(has, want);
  }
  if (wanted === 'real') return existing === 'double precision';
  if (wanted === 'text') return /^(character varying|character)(\(\d+\))?$/.test(existing);
  if (wanted === 'jsonb') return existing === 'json';
  const precision = /^(timestamp|time)\(\d\)( with(out)? time zone)$/.exec(existing);
  return precision !== null && `${precision[1]}${precision[2]}` === wanted;
}
