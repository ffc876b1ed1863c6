export { postgresSource } from './source.ts';
export { postgresDestination } from './destination.ts';
export { PostgresSourceConfigSchema, PostgresDestinationConfigSchema } from './config.ts';
export type { PostgresSourceConfig, PostgresDestinationConfig } from './config.ts';
export { PG_READ_TYPES } from './source-types.ts';
export type { PgReadType } from './source-types.ts';
export { PG_WRITE_TYPES } from './export-types.ts';
export type { PgWriteType } from './export-types.ts';
