export type * from './types.ts';
export { decimalParts, isArray, isDecimal, isMap, isStruct, typeToString } from './types.ts';
export { parseSchema, serializeSchema } from './parse.ts';
export { castExpr, fromDuckDbType, schemaFromDuckDb, toDuckDbType } from './duckdb-types.ts';
export { columnMappingMode, physicalName } from './column-mapping.ts';
export type { ColumnMappingMode } from './column-mapping.ts';
export { findField, someField } from './walk.ts';
