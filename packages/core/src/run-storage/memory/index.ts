export { MemoryRunStorage } from './client.ts';
export type { MemoryRunStorageConfig } from './config.ts';
