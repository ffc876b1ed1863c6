export { describeObjectStoreContract, rejectsWithCode } from './contract.ts';
export { s3TestStore, stopS3TestServer } from './s3.ts';
export type { S3TestStore } from './s3.ts';
export { DelegatingStore } from './delegating-store.ts';
