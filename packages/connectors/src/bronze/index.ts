export { LOAD_COLUMNS, STATE_PROPERTY } from './columns.ts';
export { ingest, loadMetadata } from './ingest.ts';
export { loadStream } from './load-stream.ts';
export type { LoadOptions, LoadReport, LoadTarget } from './load-stream.ts';
export type { TypeChange } from './records.ts';
