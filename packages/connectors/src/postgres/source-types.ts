import { parsePgArray } from './array.ts';
import type { PgArrayElement } from './array.ts';

/**
 * How one PostgreSQL type is read. Values arrive in PostgreSQL's text form (the session runs with
 * TimeZone UTC, DateStyle ISO, bytea_output hex) and are converted to what a typed batch holds.
 * JSON documents (json, jsonb, and arrays, which are read as JSON) are VARCHAR holding the exact
 * JSON text: a typed batch travels as JSON, where a JSON column would take the text for a JSON
 * string, and parsing it in JavaScript would round numbers past 2^53; cast it with `::JSON`.
 */
export interface PgReadType {
  /** PostgreSQL's name of the type. */
  readonly name: string;
  /** The DuckDB type; for types with parameters, a function of the column's type modifier. */
  readonly duckdb: string | ((typmod: number) => string);
  /** The batch value of a text form; the text itself when absent. */
  readonly value?: (text: string) => unknown;
  /** The value as an element of a JSON array (arrays are read as JSON text); `value` when absent. */
  readonly json?: (text: string) => unknown;
}

const integer = (text: string) => Number(text);
/** A bigint as a number when it is exact in JavaScript, else as its decimal string. */
const bigint = (text: string) => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};
/** NaN and ±Infinity stay strings (JSON has no such numbers; DuckDB casts them). */
const float = (text: string) => {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
};
/** bytea's hex form `\x0a0b` → base64. */
const base64 = (text: string) => Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex').toString('base64');
/** `2024-05-01 10:00:00.5` → `2024-05-01T10:00:00.5`; infinities and BC dates stay as written. */
const isoTimestamp = (text: string) => (/^\d{4,}-\d\d-\d\d \d/.test(text) && !text.endsWith(' BC') ? text.replace(' ', 'T') : text);
/** `2024-05-01 10:00:00.5+00` → `2024-05-01T10:00:00.5Z`; another offset is kept as `+hh:mm`. */
const isoTimestampTz = (text: string) => {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::(\d\d))?$/.exec(text);
  if (!m) return text;
  const [, date, time, hours, minutes] = m;
  return `${date}T${time}${hours === '+00' && (minutes ?? '00') === '00' ? 'Z' : `${hours}:${minutes ?? '00'}`}`;
};
const json = (text: string) => JSON.parse(text) as unknown;

/**
 * `numeric(p,s)` → `DECIMAL(p,s)`, values as exact strings. Unconstrained numerics, precisions
 * above DuckDB's 38 digits and negative scales are read as VARCHAR holding the exact text, never
 * as floating point.
 */
export function numericType(typmod: number): string {
  if (typmod < 4) return 'VARCHAR';
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const raw = (typmod - 4) & 0x7ff;
  const scale = raw & 0x400 ? raw - 0x800 : raw;
  return precision <= 38 && scale >= 0 && scale <= precision ? `DECIMAL(${precision},${scale})` : 'VARCHAR';
}

/**
 * The PostgreSQL → DuckDB type table, by type OID. bigint values are numbers when exact in
 * JavaScript, else decimal strings; numeric values are exact strings; bytea is base64 VARCHAR;
 * timestamps are ISO strings (timestamptz in UTC, `Z`); json and jsonb are VARCHAR holding their
 * exact text. A type missing here (interval, inet, money, …) is read as VARCHAR text.
 */
export const PG_READ_TYPES: ReadonlyMap<number, PgReadType> = new Map<number, PgReadType>([
  [16, { name: 'boolean', duckdb: 'BOOLEAN', value: (t) => t === 't' }],
  [17, { name: 'bytea', duckdb: 'VARCHAR', value: base64 }],
  [18, { name: 'char', duckdb: 'VARCHAR' }],
  [19, { name: 'name', duckdb: 'VARCHAR' }],
  [20, { name: 'bigint', duckdb: 'BIGINT', value: bigint }],
  [21, { name: 'smallint', duckdb: 'SMALLINT', value: integer }],
  [23, { name: 'integer', duckdb: 'INTEGER', value: integer }],
  [25, { name: 'text', duckdb: 'VARCHAR' }],
  [26, { name: 'oid', duckdb: 'UINTEGER', value: integer }],
  [114, { name: 'json', duckdb: 'VARCHAR', json }],
  [700, { name: 'real', duckdb: 'FLOAT', value: float }],
  [701, { name: 'double precision', duckdb: 'DOUBLE', value: float }],
  [1042, { name: 'character', duckdb: 'VARCHAR' }],
  [1043, { name: 'character varying', duckdb: 'VARCHAR' }],
  [1082, { name: 'date', duckdb: 'DATE' }],
  [1083, { name: 'time', duckdb: 'TIME' }],
  [1114, { name: 'timestamp', duckdb: 'TIMESTAMP', value: isoTimestamp }],
  [1184, { name: 'timestamptz', duckdb: 'TIMESTAMPTZ', value: isoTimestampTz }],
  [1266, { name: 'timetz', duckdb: 'TIMETZ' }],
  [1700, { name: 'numeric', duckdb: numericType }],
  [2950, { name: 'uuid', duckdb: 'UUID' }],
  [3802, { name: 'jsonb', duckdb: 'VARCHAR', json }],
]);

/** What the catalog (`pg_type`) says about a type missing from the table. */
export interface PgTypeInfo {
  readonly oid: number;
  /** `b` base, `d` domain, `e` enum, … */
  readonly typtype: string;
  /** `A` for arrays. */
  readonly typcategory: string;
  readonly typelem: number;
  readonly typbasetype: number;
  readonly typdelim: string;
}

/** The DuckDB type of a column and the conversion of its text form. */
export interface PgColumnRead {
  readonly type: string;
  readonly value: (text: string) => unknown;
  readonly json: (text: string) => unknown;
}

const asText = (text: string) => text;

/**
 * Resolves a column's type: from the table, through the catalog for domains (their base type)
 * and arrays (VARCHAR holding the JSON text of their elements, each converted as its type says),
 * else VARCHAR text.
 */
export function pgColumnRead(oid: number, typmod: number, catalog: ReadonlyMap<number, PgTypeInfo>, depth = 0): PgColumnRead {
  const known = PG_READ_TYPES.get(oid);
  if (known) {
    const value = known.value ?? asText;
    return { type: typeof known.duckdb === 'string' ? known.duckdb : known.duckdb(typmod), value, json: known.json ?? value };
  }
  const info = catalog.get(oid);
  if (info && depth < 8) {
    if (info.typtype === 'd') return pgColumnRead(info.typbasetype, typmod, catalog, depth + 1);
    if (info.typcategory === 'A' && info.typelem !== 0) {
      const element = pgColumnRead(info.typelem, -1, catalog, depth + 1);
      const toJson = (item: PgArrayElement): unknown => (item === null ? null : Array.isArray(item) ? item.map(toJson) : element.json(item));
      const value = (text: string) => JSON.stringify(parsePgArray(text, info.typdelim).map(toJson));
      return { type: 'VARCHAR', value, json: (text) => parsePgArray(text, info.typdelim).map(toJson) };
    }
  }
  return { type: 'VARCHAR', value: asText, json: asText };
}

/** The OIDs among `oids` (and the element or base types of those in `catalog`) still to look up in `pg_type`. */
export function missingTypes(oids: Iterable<number>, catalog: ReadonlyMap<number, PgTypeInfo>): number[] {
  const missing = new Set<number>();
  const visit = (oid: number, depth: number) => {
    if (oid === 0 || PG_READ_TYPES.has(oid) || depth > 8) return;
    const info = catalog.get(oid);
    if (!info) missing.add(oid);
    else if (info.typtype === 'd') visit(info.typbasetype, depth + 1);
    else if (info.typcategory === 'A') visit(info.typelem, depth + 1);
  };
  for (const oid of oids) visit(oid, 0);
  return [...missing];
}
