import { parseDuckdbType } from '../sql-database/duckdb-types.ts';
import type { TargetColumn } from '../sql-database/target.ts';
import { decimalShape, numericFits } from '../sql-database/numeric-shape.ts';
import type { NumericShape } from '../sql-database/numeric-shape.ts';

/** How one DuckDB type is written to MySQL or MariaDB. */
export interface MysqlWriteType {
  /** The column type, as `information_schema.COLUMNS.COLUMN_TYPE` writes it (display widths aside). */
  readonly type: string | ((args: readonly number[]) => string);
  /** The type of a key column, when it differs (an index needs a bounded length). */
  readonly keyType?: string;
  /** DuckDB SQL rendering the column as the text MySQL parses; a cast to VARCHAR when absent. */
  readonly render?: (column: string) => string;
  /** The placeholder with its conversion; `?` when absent. */
  readonly placeholder?: string;
}

const asJson = (column: string) => `CAST(to_json(${column}) AS VARCHAR)`;
const json: MysqlWriteType = { type: 'json', render: asJson };
/** MySQL parses neither `T` nor an offset in DATETIME values: send UTC as `YYYY-MM-DD hh:mm:ss.ffffff`. */
const datetime = (column: string) => `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')`;
const datetimeUtc = (column: string) => `strftime(timezone('UTC', ${column}), '%Y-%m-%d %H:%M:%S.%f')`;

/**
 * The DuckDB → MySQL/MariaDB type table, by DuckDB base type. BOOLEAN is tinyint(1) (sent as
 * 1/0); TIMESTAMPTZ becomes datetime(6) holding UTC (MySQL's TIMESTAMP ends in 2038); VARCHAR is
 * longtext, or varchar(255) in a key (an index needs a bounded length); lists, structs and maps
 * become json (MariaDB stores it as longtext with a JSON check); BLOB is sent as base64 and
 * decoded into longblob. A type missing here (INTERVAL, TIMETZ, BIT, UNION, …) cannot be exported.
 */
export const MYSQL_WRITE_TYPES: ReadonlyMap<string, MysqlWriteType> = new Map<string, MysqlWriteType>([
  ['BOOLEAN', { type: 'tinyint(1)', render: (c) => `CAST(CAST(${c} AS TINYINT) AS VARCHAR)` }],
  ['TINYINT', { type: 'tinyint' }],
  ['UTINYINT', { type: 'tinyint unsigned' }],
  ['SMALLINT', { type: 'smallint' }],
  ['USMALLINT', { type: 'smallint unsigned' }],
  ['INTEGER', { type: 'int' }],
  ['UINTEGER', { type: 'int unsigned' }],
  ['BIGINT', { type: 'bigint' }],
  ['UBIGINT', { type: 'bigint unsigned' }],
  ['HUGEINT', { type: 'decimal(39,0)' }],
  ['UHUGEINT', { type: 'decimal(39,0) unsigned' }],
  ['FLOAT', { type: 'float' }],
  ['DOUBLE', { type: 'double' }],
  ['DECIMAL', { type: ([precision, scale]) => `decimal(${precision ?? 18},${scale ?? 3})` }],
  ['VARCHAR', { type: 'longtext', keyType: 'varchar(255)' }],
  ['ENUM', { type: 'longtext', keyType: 'varchar(255)' }],
  ['UUID', { type: 'char(36)' }],
  ['DATE', { type: 'date' }],
  ['TIME', { type: 'time(6)' }],
  ['TIMESTAMP', { type: 'datetime(6)', render: datetime }],
  ['TIMESTAMP_S', { type: 'datetime(6)', render: datetime }],
  ['TIMESTAMP_MS', { type: 'datetime(6)', render: datetime }],
  ['TIMESTAMP_NS', { type: 'datetime(6)', render: datetime }],
  ['TIMESTAMP WITH TIME ZONE', { type: 'datetime(6)', render: datetimeUtc }],
  ['JSON', { type: 'json' }],
  ['BLOB', { type: 'longblob', keyType: 'varbinary(255)', render: (c) => `to_base64(${c})`, placeholder: 'FROM_BASE64(?)' }],
  ['LIST', json],
  ['STRUCT', json],
  ['MAP', json],
]);

/** The column written for a relation column of `duckdbType`; undefined when the type has no mapping. */
export function mysqlTargetColumn(name: string, duckdbType: string, key: boolean): TargetColumn | undefined {
  const parsed = parseDuckdbType(duckdbType);
  const write = MYSQL_WRITE_TYPES.get(parsed.base);
  if (!write) return undefined;
  const targetType = key && write.keyType ? write.keyType : typeof write.type === 'string' ? write.type : write.type(parsed.args);
  return {
    name,
    duckdbType,
    targetType,
    render: write.render ?? ((c) => `CAST(${c} AS VARCHAR)`),
    placeholder: () => write.placeholder ?? '?',
  };
}

/** `int(11)` → `int`, `bigint(20) unsigned` → `bigint unsigned` (display widths mean nothing), but `tinyint(1)` is BOOLEAN. */
export function normalizeMysqlType(columnType: string): string {
  const type = columnType.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^tinyint\(1\)( unsigned)?$/.test(type)) return type;
  return type.replace(/^(tinyint|smallint|mediumint|int|bigint|year)\(\d+\)/, '$1');
}

const INTEGERS: Readonly<Record<string, readonly [number, number, number]>> = {
  // [rank, digits of the largest signed value, digits of the largest unsigned value]
  tinyint: [1, 3, 3],
  smallint: [2, 5, 5],
  mediumint: [3, 7, 8],
  int: [4, 10, 10],
  bigint: [5, 19, 20],
};

function numericShape(type: string): NumericShape | undefined {
  const m = /^(tinyint|smallint|mediumint|int|bigint)( unsigned)?$/.exec(type);
  if (m) {
    const [rank, signedDigits, unsignedDigits] = INTEGERS[m[1] as string] as readonly [number, number, number];
    const digits = m[2] ? unsignedDigits : signedDigits;
    return { needs: digits, holds: digits - 1, scale: 0, signed: !m[2], rank };
  }
  const d = /^decimal\((\d+),(\d+)\)( unsigned)?$/.exec(type);
  return d ? decimalShape(Number(d[1]), Number(d[2]), !d[3]) : undefined;
}

/**
 * Whether an existing column of `existing` type (`COLUMN_TYPE`) takes the values of `column`
 * unchanged: the same type, or one of its family that holds all its values (a wider integer,
 * a decimal with as many integer and fraction digits, double for float, any text type for text,
 * longtext for json, datetime or timestamp of any precision for datetime).
 */
export function mysqlCompatible(existing: string, column: TargetColumn): boolean {
  const has = normalizeMysqlType(existing);
  const wanted = column.targetType;
  if (has === wanted) return true;
  const want = numericShape(wanted);
  if (want) {
    const shape = numericShape(has);
    return shape !== undefined && numericFits(shape, want);
  }
  if (wanted === 'float') return has === 'double';
  if (wanted === 'longtext' || wanted === 'varchar(255)') return /^(longtext|mediumtext|text|tinytext|(var)?char\(\d+\))$/.test(has);
  if (wanted === 'char(36)') return has === 'uuid' || /^(var)?char\(\d+\)$/.test(has) || /^(long|medium)?text$/.test(has);
  if (wanted === 'json') return has === 'longtext';
  if (wanted === 'datetime(6)') return /^(datetime|timestamp)(\(\d\))?$/.test(has);
  if (wanted === 'time(6)') return /^time(\(\d\))?$/.test(has);
  if (wanted === 'longblob' || wanted === 'varbinary(255)') return /^(longblob|mediumblob|blob|tinyblob|(var)?binary\(\d+\))$/.test(has);
  return false;
}
