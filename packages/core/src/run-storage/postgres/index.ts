export { PostgresRunStorage } from './client.ts';
export type { PostgresRunStorageConfig } from './config.ts';
