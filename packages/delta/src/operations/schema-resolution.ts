import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import type { ColumnInfo } from '../engine/index.ts';
import { ident } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import type { DataType, StructField, StructType } from '../schema/index.ts';
import { castExpr, fromDuckDbType, toDuckDbType, typeToString } from '../schema/index.ts';

export interface ResolvedInput {
  /** The table schema after the write (with new columns when evolving). */
  readonly schema: StructType;
  /** Columns added by schema evolution. */
  readonly added: readonly string[];
  /** SQL producing the table's logical columns, cast to the table's types, from the input. */
  readonly sql: string;
}

const INTEGRAL_RANK: Record<string, number> = { byte: 1, short: 2, integer: 3, long: 4 };

/** True if values of `from` fit `to` without loss, so the cast is not a silent change. */
function safelyCastable(from: DataType, to: DataType): boolean {
  if (JSON.stringify(from) === JSON.stringify(to)) return true;
  if (typeof from !== 'string' || typeof to !== 'string') return sameShape(from, to);
  const f = INTEGRAL_RANK[from];
  const t = INTEGRAL_RANK[to];
  if (f !== undefined && t !== undefined) return f <= t;
  if (f !== undefined && (to === 'double' || to.startsWith('decimal('))) return true;
  if (from === 'float' && to === 'double') return true;
  if (from === 'date' && (to === 'timestamp' || to === 'timestamp_ntz')) return true;
  if ((from === 'timestamp' && to === 'timestamp_ntz') || (from === 'timestamp_ntz' && to === 'timestamp')) return true;
  if (from.startsWith('decimal(') && to.startsWith('decimal(')) {
    const [fp, fs] = from.slice(8, -1).split(',').map(Number) as [number, number];
    const [tp, ts] = to.slice(8, -1).split(',').map(Number) as [number, number];
    return ts >= fs && tp - ts >= fp - fs;
  }
  return false;
}

function sameShape(from: DataType, to: DataType): boolean {
  if (typeof from === 'string' || typeof to === 'string') return false;
  if (from.type === 'struct' && to.type === 'struct') {
    return from.fields.every((ff) => {
      const tf = to.fields.find((x) => x.name === ff.name);
      return tf !== undefined && safelyCastable(ff.type, tf.type);
    });
  }
  if (from.type === 'array' && to.type === 'array') return safelyCastable(from.elementType, to.elementType);
  if (from.type === 'map' && to.type === 'map') return safelyCastable(from.keyType, to.keyType) && safelyCastable(from.valueType, to.valueType);
  return false;
}

/**
 * Matches an input query's columns to the table schema. Input columns are found by name (case-
 * insensitive, as Spark does); table columns missing from the input are NULL; extra input columns
 * fail unless `evolve` adds them. A type that does not fit the table's type fails: nothing is
 * silently narrowed or widened.
 */
export function resolveInput(table: StructType, input: ColumnInfo, sourceSql: string, evolve: boolean, where: string): ResolvedInput {
  const inputFields = input.names.map((name, i) => ({ name, type: fromDuckDbType(input.types[i] as DuckDBType, name), duck: input.types[i] as DuckDBType }));
  const seen = new Set<string>();
  for (const f of inputFields) {
    const lower = f.name.toLowerCase();
    if (seen.has(lower)) throw new DeltaError('DELTA_SCHEMA_MISMATCH', `${where}: input has column "${f.name}" twice`);
    seen.add(lower);
  }
  const fields: StructField[] = [...table.fields];
  const added: string[] = [];
  for (const f of inputFields) {
    if (!table.fields.some((t) => t.name.toLowerCase() === f.name.toLowerCase())) {
      if (!evolve) {
        throw new DeltaError(
          'DELTA_SCHEMA_MISMATCH',
          `${where}: input column "${f.name}" (${typeToString(f.type)}) is not in the table schema; enable schema evolution to add it`,
        );
      }
      fields.push({ name: f.name, type: f.type, nullable: true, metadata: {} });
      added.push(f.name);
    }
  }
  const projections = fields.map((t) => {
    const src = inputFields.find((f) => f.name.toLowerCase() === t.name.toLowerCase());
    if (!src) {
      if (!t.nullable) throw new DeltaError('DELTA_SCHEMA_MISMATCH', `${where}: column "${t.name}" is NOT NULL but missing from the input`);
      return `CAST(NULL AS ${toDuckDbType(t.type)}) AS ${ident(t.name)}`;
    }
    if (!safelyCastable(src.type, t.type) && src.duck.typeId !== DuckDBTypeId.SQLNULL) {
      throw new DeltaError(
        'DELTA_SCHEMA_MISMATCH',
        `${where}: column "${t.name}" is ${typeToString(t.type)} in the table but ${typeToString(src.type)} in the input`,
      );
    }
    return `${castExpr(ident(src.name), src.duck, t.type)} AS ${ident(t.name)}`;
  });
  return { schema: { type: 'struct', fields }, added, sql: `SELECT ${projections.join(', ')} FROM (${sourceSql})` };
}
