import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import { ident } from '../engine/sql.ts';
import { DeltaError } from '../errors.ts';
import type { DataType, StructField, StructType } from './types.ts';
import { decimalParts, isDecimal } from './types.ts';

/** The DuckDB type that holds values of a Delta type (timestamps are UTC instants, timestamp_ntz local). */
export function toDuckDbType(t: DataType): string {
  if (isDecimal(t)) {
    const { precision, scale } = decimalParts(t);
    return `DECIMAL(${precision},${scale})`;
  }
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return 'VARCHAR';
      case 'long':
        return 'BIGINT';
      case 'integer':
        return 'INTEGER';
      case 'short':
        return 'SMALLINT';
      case 'byte':
        return 'TINYINT';
      case 'float':
        return 'FLOAT';
      case 'double':
        return 'DOUBLE';
      case 'boolean':
        return 'BOOLEAN';
      case 'binary':
        return 'BLOB';
      case 'date':
        return 'DATE';
      case 'timestamp':
        return 'TIMESTAMPTZ';
      case 'timestamp_ntz':
        return 'TIMESTAMP';
    }
  }
  if (t.type === 'struct') return `STRUCT(${t.fields.map((f) => `${ident(f.name)} ${toDuckDbType(f.type)}`).join(', ')})`;
  if (t.type === 'array') return `${toDuckDbType(t.elementType)}[]`;
  return `MAP(${toDuckDbType(t.keyType)}, ${toDuckDbType(t.valueType)})`;
}

/**
 * The Delta type for a DuckDB column type. Naive DuckDB timestamps become Delta `timestamp` values
 * read as UTC, which every Delta reader understands; `timestamp_ntz` is chosen only when a table is
 * created with it explicitly. Types Delta cannot hold fail with DELTA_SCHEMA_MISMATCH naming the column.
 */
export function fromDuckDbType(t: DuckDBType, column: string): DataType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
      return 'byte';
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return 'short';
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return 'integer';
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
      return 'long';
    case DuckDBTypeId.UBIGINT:
      return 'decimal(20,0)';
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'decimal(38,0)';
    case DuckDBTypeId.FLOAT:
      return 'float';
    case DuckDBTypeId.DOUBLE:
      return 'double';
    case DuckDBTypeId.DECIMAL:
      return `decimal(${t.width},${t.scale})`;
    case DuckDBTypeId.SQLNULL:
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return 'string';
    case DuckDBTypeId.BLOB:
      return 'binary';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return { type: 'array', elementType: fromDuckDbType(t.valueType, `${column}[]`), containsNull: true };
    case DuckDBTypeId.MAP:
      return {
        type: 'map',
        keyType: fromDuckDbType(t.keyType, `${column}.key`),
        valueType: fromDuckDbType(t.valueType, `${column}.value`),
        valueContainsNull: true,
      };
    case DuckDBTypeId.STRUCT:
      return {
        type: 'struct',
        fields: t.entryNames.map((name, i) => ({
          name,
          type: fromDuckDbType(t.entryTypes[i] as DuckDBType, `${column}.${name}`),
          nullable: true,
          metadata: {},
        })),
      };
    default:
      throw new DeltaError(
        'DELTA_SCHEMA_MISMATCH',
        `column "${column}" has DuckDB type ${t.toString()}, which Delta tables cannot store; cast it (e.g. to VARCHAR)`,
      );
  }
}

/** A Delta schema for the columns of a DuckDB result. */
export function schemaFromDuckDb(names: readonly string[], types: readonly DuckDBType[]): StructType {
  const fields: StructField[] = names.map((name, i) => ({
    name,
    type: fromDuckDbType(types[i] as DuckDBType, name),
    nullable: true,
    metadata: {},
  }));
  return { type: 'struct', fields };
}

const NAIVE_TIMESTAMPS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
]);

/**
 * An expression casting `expr` (of DuckDB type `from`) to the DuckDB type of a Delta type. Naive
 * timestamps become UTC instants arithmetically: DuckDB's TIMESTAMP → TIMESTAMPTZ cast goes
 * through the time-zone library for every value, which costs a third of a Parquet write. Infinite
 * timestamps, which have no epoch value, keep the cast.
 */
export function castExpr(expr: string, from: DuckDBType | undefined, to: DataType): string {
  if (to === 'timestamp' && from !== undefined && NAIVE_TIMESTAMPS.has(from.typeId)) {
    return `CASE WHEN isfinite(${expr}) THEN make_timestamptz(epoch_us(${expr})) ELSE CAST(${expr} AS TIMESTAMPTZ) END`;
  }
  return `CAST(${expr} AS ${toDuckDbType(to)})`;
}
