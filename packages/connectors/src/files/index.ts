export { fileSource } from './source.ts';
export type { FileSourceOptions } from './source.ts';
export { FileSourceConfigSchema, parseFileSourceConfig } from './config.ts';
export type { FileSourceConfig, FileSourceConfigInput } from './config.ts';
