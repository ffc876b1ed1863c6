export { mysqlSource } from './source.ts';
export { mysqlDestination } from './destination.ts';
export { MysqlSourceConfigSchema, MysqlDestinationConfigSchema } from './config.ts';
export type { MysqlSourceConfig, MysqlDestinationConfig } from './config.ts';
export { MYSQL_READ_TYPES } from './source-types.ts';
export type { MysqlReadType } from './source-types.ts';
export { MYSQL_WRITE_TYPES } from './export-types.ts';
export type { MysqlWriteType } from './export-types.ts';
