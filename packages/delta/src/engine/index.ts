export type { ColumnInfo, Engine, ParquetColumnStats, WriteParquetOptions, WrittenParquetFile } from './engine.ts';
export { DuckDbEngine } from './duckdb-engine.ts';
export type { DuckDbEngineOptions } from './duckdb-engine.ts';
export { ident, str, strList } from './sql.ts';
