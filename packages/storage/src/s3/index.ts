export { S3ObjectStore } from './client.ts';
export { s3ConfigFromEnv } from './config.ts';
export type { S3Credentials, S3StoreConfig } from './config.ts';
