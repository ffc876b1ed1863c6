import { DeltaError } from '../errors.ts';
import type { DataType, StructField, StructType } from './types.ts';

const PRIMITIVES = new Set([
  'string',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'double',
  'boolean',
  'binary',
  'date',
  'timestamp',
  'timestamp_ntz',
]);

/** Parses a metadata `schemaString` into a struct type; fails with DELTA_STATE_RECONSTRUCTION naming the problem. */
export function parseSchema(schemaString: string): StructType {
  let json: unknown;
  try {
    json = JSON.parse(schemaString);
  } catch (e) {
    throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `metaData.schemaString is not valid JSON: ${(e as Error).message}`);
  }
  const t = parseType(json, 'schema');
  if (typeof t !== 'object' || t.type !== 'struct') {
    throw new DeltaError('DELTA_STATE_RECONSTRUCTION', 'metaData.schemaString must describe a struct type');
  }
  return t;
}

function parseType(json: unknown, where: string): DataType {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return json as DataType;
    const dec = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(json);
    if (dec) return `decimal(${Number(dec[1])},${Number(dec[2])})`;
    if (json === 'decimal') return 'decimal(10,0)';
    throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `unsupported data type "${json}" at ${where}`);
  }
  if (json === null || typeof json !== 'object') {
    throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `invalid data type at ${where}`);
  }
  const o = json as Record<string, unknown>;
  switch (o.type) {
    case 'struct': {
      if (!Array.isArray(o.fields)) throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `struct without fields at ${where}`);
      return { type: 'struct', fields: o.fields.map((f, i) => parseField(f, `${where}.fields[${i}]`)) };
    }
    case 'array':
      return {
        type: 'array',
        elementType: parseType(o.elementType, `${where}.elementType`),
        containsNull: o.containsNull !== false,
      };
    case 'map':
      return {
        type: 'map',
        keyType: parseType(o.keyType, `${where}.keyType`),
        valueType: parseType(o.valueType, `${where}.valueType`),
        valueContainsNull: o.valueContainsNull !== false,
      };
    default:
      throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `unsupported data type ${JSON.stringify(o.type)} at ${where}`);
  }
}

function parseField(json: unknown, where: string): StructField {
  if (json === null || typeof json !== 'object') throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `invalid field at ${where}`);
  const o = json as Record<string, unknown>;
  if (typeof o.name !== 'string') throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `field without a name at ${where}`);
  return {
    name: o.name,
    type: parseType(o.type, `${where} (${o.name})`),
    nullable: o.nullable !== false,
    metadata: (o.metadata && typeof o.metadata === 'object' ? o.metadata : {}) as Record<string, unknown>,
  };
}

/** Serializes a struct type as a Delta `schemaString`. */
export function serializeSchema(schema: StructType): string {
  return JSON.stringify(toJson(schema));
}

function toJson(t: DataType): unknown {
  if (typeof t === 'string') return t;
  if (t.type === 'struct') {
    return {
      type: 'struct',
      fields: t.fields.map((f) => ({ name: f.name, type: toJson(f.type), nullable: f.nullable, metadata: f.metadata })),
    };
  }
  if (t.type === 'array') return { type: 'array', elementType: toJson(t.elementType), containsNull: t.containsNull };
  return { type: 'map', keyType: toJson(t.keyType), valueType: toJson(t.valueType), valueContainsNull: t.valueContainsNull };
}
