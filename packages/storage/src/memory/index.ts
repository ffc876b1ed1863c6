export { MemoryObjectStore } from './client.ts';
export type { MemoryStoreConfig } from './config.ts';
