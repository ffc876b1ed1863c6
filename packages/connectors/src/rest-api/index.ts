export { restApiSource } from './source.ts';
export type { RestApiSourceOptions } from './source.ts';
export { RestApiSourceConfigSchema } from './config.ts';
export type { RestApiSourceConfig, RestApiSourceConfigInput } from './config.ts';
