export { LocalObjectStore } from './client.ts';
export type { LocalStoreConfig } from './config.ts';
