import type { DataType, StructField, StructType } from './types.ts';

/** True if any field, at any depth, satisfies the test. */
export function someField(schema: StructType, test: (f: StructField) => boolean): boolean {
  const visit = (t: DataType): boolean => {
    if (typeof t === 'string') return false;
    if (t.type === 'struct') return t.fields.some((f) => test(f) || visit(f.type));
    if (t.type === 'array') return visit(t.elementType);
    return visit(t.keyType) || visit(t.valueType);
  };
  return visit(schema);
}

/** Finds a top-level field by name (case-sensitive first, then case-insensitive as Spark resolves). */
export function findField(schema: StructType, name: string): StructField | undefined {
  return schema.fields.find((f) => f.name === name) ?? schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}
