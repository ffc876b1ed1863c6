/** Column type codes of the MySQL protocol (`FieldPacket.columnType`). */
export const MysqlTypeCode = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

const UNSIGNED_FLAG = 32;
/** The character set number of binary strings (BLOB, BINARY, VARBINARY). */
const BINARY_CHARSET = 63;

/** What the result metadata says about a column. */
export interface MysqlField {
  readonly columnType: number;
  readonly flags: number;
  readonly characterSet: number;
  readonly columnLength: number;
  readonly decimals: number;
  /** MariaDB's extended metadata: `uuid`, `inet6`, … */
  readonly extendedTypeName?: string;
}

/**
 * How one MySQL type is read. Values arrive as the bytes of the text protocol (the session runs
 * in UTC and utf8mb4) and are converted to what a typed batch holds.
 */
export interface MysqlReadType {
  readonly name: string;
  readonly duckdb: (field: MysqlField) => string;
  /** The batch value; the UTF-8 text when absent. */
  readonly value?: (raw: Buffer, field: MysqlField) => unknown;
}

const unsigned = (f: MysqlField) => (f.flags & UNSIGNED_FLAG) !== 0;
const isBinary = (f: MysqlField) => f.characterSet === BINARY_CHARSET;
const text = (raw: Buffer) => raw.toString('utf8');
const number = (raw: Buffer) => Number(text(raw));
const bigint = (raw: Buffer) => {
  const n = Number(text(raw));
  return Number.isSafeInteger(n) ? n : text(raw);
};
/** MySQL's zero dates (`0000-00-00`) have no DuckDB value: they are read as NULL. */
const isZeroDate = (s: string) => s.startsWith('0000-00-00');
const date = (raw: Buffer) => (isZeroDate(text(raw)) ? null : text(raw));
const datetime = (raw: Buffer) => (isZeroDate(text(raw)) ? null : text(raw).replace(' ', 'T'));
const timestamp = (raw: Buffer) => (isZeroDate(text(raw)) ? null : `${text(raw).replace(' ', 'T')}Z`);
/** BIT(n): the big-endian bits as a number (a string past 2^53). */
const bits = (raw: Buffer) => {
  let n = 0n;
  for (const byte of raw) n = (n << 8n) | BigInt(byte);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
};
/** A string column: binary strings as base64, others as text. */
const string = (raw: Buffer, f: MysqlField) => (isBinary(f) ? raw.toString('base64') : text(raw));

/** DECIMAL(p,s): the length counts the sign (unless unsigned) and the point (when s > 0). */
export function decimalType(f: MysqlField): string {
  const precision = f.columnLength - (f.decimals > 0 ? 1 : 0) - (unsigned(f) ? 0 : 1);
  return precision >= 1 && precision <= 38 ? `DECIMAL(${precision},${f.decimals})` : 'VARCHAR';
}

function stringType(f: MysqlField): string {
  return !isBinary(f) && f.extendedTypeName === 'uuid' ? 'UUID' : 'VARCHAR';
}

const stringRead = (name: string): MysqlReadType => ({ name, duckdb: stringType, value: string });

/**
 * The MySQL/MariaDB → DuckDB type table, by protocol type code. TINYINT(1) is MySQL's BOOLEAN
 * (any non-zero value is true); BINARY/VARBINARY/BLOB and GEOMETRY are base64 VARCHAR; DECIMAL
 * values are exact strings (VARCHAR past 38 digits); TIMESTAMP (stored in UTC) is TIMESTAMPTZ and
 * DATETIME is TIMESTAMP; zero dates are NULL; JSON is VARCHAR holding the exact JSON text (a typed
 * batch travels as JSON, where a JSON column would take the text for a JSON string; cast it with
 * `::JSON`). A type missing here is read as VARCHAR text.
 */
export const MYSQL_READ_TYPES: ReadonlyMap<number, MysqlReadType> = new Map<number, MysqlReadType>([
  [MysqlTypeCode.TINY, { name: 'tinyint', duckdb: (f) => (f.columnLength === 1 ? 'BOOLEAN' : unsigned(f) ? 'UTINYINT' : 'TINYINT'), value: (raw, f) => (f.columnLength === 1 ? text(raw) !== '0' : number(raw)) }],
  [MysqlTypeCode.SHORT, { name: 'smallint', duckdb: (f) => (unsigned(f) ? 'USMALLINT' : 'SMALLINT'), value: number }],
  [MysqlTypeCode.INT24, { name: 'mediumint', duckdb: () => 'INTEGER', value: number }],
  [MysqlTypeCode.LONG, { name: 'int', duckdb: (f) => (unsigned(f) ? 'UINTEGER' : 'INTEGER'), value: number }],
  [MysqlTypeCode.LONGLONG, { name: 'bigint', duckdb: (f) => (unsigned(f) ? 'UBIGINT' : 'BIGINT'), value: bigint }],
  [MysqlTypeCode.YEAR, { name: 'year', duckdb: () => 'SMALLINT', value: number }],
  [MysqlTypeCode.FLOAT, { name: 'float', duckdb: () => 'FLOAT', value: number }],
  [MysqlTypeCode.DOUBLE, { name: 'double', duckdb: () => 'DOUBLE', value: number }],
  [MysqlTypeCode.DECIMAL, { name: 'decimal', duckdb: decimalType }],
  [MysqlTypeCode.NEWDECIMAL, { name: 'decimal', duckdb: decimalType }],
  [MysqlTypeCode.DATE, { name: 'date', duckdb: () => 'DATE', value: date }],
  [MysqlTypeCode.NEWDATE, { name: 'date', duckdb: () => 'DATE', value: date }],
  [MysqlTypeCode.TIME, { name: 'time', duckdb: () => 'TIME' }],
  [MysqlTypeCode.DATETIME, { name: 'datetime', duckdb: () => 'TIMESTAMP', value: datetime }],
  [MysqlTypeCode.TIMESTAMP, { name: 'timestamp', duckdb: () => 'TIMESTAMPTZ', value: timestamp }],
  [MysqlTypeCode.BIT, { name: 'bit', duckdb: (f) => (f.columnLength === 1 ? 'BOOLEAN' : 'UBIGINT'), value: (raw, f) => (f.columnLength === 1 ? raw.some((b) => b !== 0) : bits(raw)) }],
  [MysqlTypeCode.JSON, { name: 'json', duckdb: () => 'VARCHAR' }],
  [MysqlTypeCode.VARCHAR, stringRead('varchar')],
  [MysqlTypeCode.VAR_STRING, stringRead('varchar')],
  [MysqlTypeCode.STRING, stringRead('char')],
  [MysqlTypeCode.TINY_BLOB, stringRead('tinyblob')],
  [MysqlTypeCode.MEDIUM_BLOB, stringRead('mediumblob')],
  [MysqlTypeCode.LONG_BLOB, stringRead('longblob')],
  [MysqlTypeCode.BLOB, stringRead('blob')],
  [MysqlTypeCode.ENUM, { name: 'enum', duckdb: () => 'VARCHAR' }],
  [MysqlTypeCode.SET, { name: 'set', duckdb: () => 'VARCHAR' }],
  [MysqlTypeCode.GEOMETRY, { name: 'geometry', duckdb: () => 'VARCHAR', value: (raw) => raw.toString('base64') }],
]);

/** The DuckDB type of a column and the conversion of its bytes. */
export interface MysqlColumnRead {
  readonly type: string;
  readonly value: (raw: Buffer) => unknown;
  /** The column's text form in stream states (base64 for binary strings). */
  readonly text: (raw: Buffer) => string;
  /** How a keyset parameter compared with this column is written, so that it compares as the column's type. */
  readonly placeholder: string;
}

const INTEGER_CODES = new Set<number>([MysqlTypeCode.TINY, MysqlTypeCode.SHORT, MysqlTypeCode.INT24, MysqlTypeCode.LONG, MysqlTypeCode.LONGLONG, MysqlTypeCode.YEAR]);
const BINARY_STRING_CODES = new Set<number>([
  MysqlTypeCode.VARCHAR,
  MysqlTypeCode.VAR_STRING,
  MysqlTypeCode.STRING,
  MysqlTypeCode.TINY_BLOB,
  MysqlTypeCode.MEDIUM_BLOB,
  MysqlTypeCode.LONG_BLOB,
  MysqlTypeCode.BLOB,
  MysqlTypeCode.GEOMETRY,
  MysqlTypeCode.BIT,
]);

/** Resolves a column from its metadata; unknown types are read as VARCHAR text. */
export function mysqlColumnRead(field: MysqlField): MysqlColumnRead {
  const known = MYSQL_READ_TYPES.get(field.columnType);
  const value = known?.value ?? text;
  const binary = BINARY_STRING_CODES.has(field.columnType) && (isBinary(field) || field.columnType === MysqlTypeCode.BIT || field.columnType === MysqlTypeCode.GEOMETRY);
  // Without a cast, MySQL compares a string parameter with a number column as DOUBLE, losing digits.
  let placeholder = '?';
  if (INTEGER_CODES.has(field.columnType)) placeholder = `CAST(? AS ${unsigned(field) ? 'UNSIGNED' : 'SIGNED'})`;
  else if (field.columnType === MysqlTypeCode.NEWDECIMAL || field.columnType === MysqlTypeCode.DECIMAL) {
    const precision = Math.min(65, Math.max(1, field.columnLength - (field.decimals > 0 ? 1 : 0) - (unsigned(field) ? 0 : 1)));
    placeholder = `CAST(? AS DECIMAL(${precision},${field.decimals}))`;
  } else if (field.columnType === MysqlTypeCode.FLOAT || field.columnType === MysqlTypeCode.DOUBLE) placeholder = 'CAST(? AS DOUBLE)';
  else if (binary) placeholder = 'FROM_BASE64(?)';
  return {
    type: known ? known.duckdb(field) : 'VARCHAR',
    value: (raw) => value(raw, field),
    text: binary ? (raw) => raw.toString('base64') : text,
    placeholder,
  };
}
