export { SqliteRunStorage } from './client.ts';
export type { SqliteRunStorageConfig } from './config.ts';
