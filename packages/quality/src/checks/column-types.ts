import { normalizeDuckDbType } from '../contracts/index.ts';

/**
 * A DuckDB type in one canonical spelling, so that types can be compared case-insensitively with
 * DuckDB's aliases normalised (`int` → `INTEGER`, `text` → `VARCHAR`, `timestamptz` →
 * `TIMESTAMP WITH TIME ZONE`, `numeric(10, 2)` → `DECIMAL(10,2)`); a spelling DuckDB does not
 * know is upper-cased with single spaces.
 */
export function normalizeType(type: string): string {
  return normalizeDuckDbType(type) ?? type.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** How a column's values can be compared in a range check. */
export type TypeKind = 'number' | 'time' | 'text' | 'other';

const NUMBER_TYPES = /^(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|VARINT|FLOAT|DOUBLE|DECIMAL\(.*\))$/;
const TIME_TYPES = /^(?:DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS)$/;

export function typeKind(type: string): TypeKind {
  const t = normalizeType(type);
  if (NUMBER_TYPES.test(t)) return 'number';
  if (TIME_TYPES.test(t)) return 'time';
  if (t === 'VARCHAR') return 'text';
  return 'other';
}
