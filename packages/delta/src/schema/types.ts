/** Delta primitive type names as they appear in `schemaString`. Decimals are `decimal(p,s)`. */
export type PrimitiveTypeName =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz';

export type DataType = PrimitiveTypeName | DecimalTypeName | StructType | ArrayType | MapType;
export type DecimalTypeName = `decimal(${number},${number})`;

export interface StructField {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface StructType {
  readonly type: 'struct';
  readonly fields: readonly StructField[];
}

export interface ArrayType {
  readonly type: 'array';
  readonly elementType: DataType;
  readonly containsNull: boolean;
}

export interface MapType {
  readonly type: 'map';
  readonly keyType: DataType;
  readonly valueType: DataType;
  readonly valueContainsNull: boolean;
}

export const isStruct = (t: DataType): t is StructType => typeof t === 'object' && t.type === 'struct';
export const isArray = (t: DataType): t is ArrayType => typeof t === 'object' && t.type === 'array';
export const isMap = (t: DataType): t is MapType => typeof t === 'object' && t.type === 'map';
export const isDecimal = (t: DataType): t is DecimalTypeName => typeof t === 'string' && t.startsWith('decimal(');

/** Precision and scale of a decimal type name. */
export function decimalParts(t: DecimalTypeName): { precision: number; scale: number } {
  const m = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  return { precision: Number(m?.[1] ?? 10), scale: Number(m?.[2] ?? 0) };
}

/** Renders a type for messages, e.g. `struct<a: long, b: array<string>>`. */
export function typeToString(t: DataType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'struct') return `struct<${t.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ')}>`;
  if (t.type === 'array') return `array<${typeToString(t.elementType)}>`;
  return `map<${typeToString(t.keyType)}, ${typeToString(t.valueType)}>`;
}
