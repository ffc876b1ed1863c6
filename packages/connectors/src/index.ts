export { ConnectorError, ConnectorErrorCodes, isConnectorError } from './errors.ts';
export type { ConnectorErrorCode } from './errors.ts';
export type { BatchData, ColumnSpec, JsonValue, RejectedRecord, Source, SourceBatch, SourceContext, SourceStream } from './source.ts';
export { LOAD_COLUMNS, STATE_PROPERTY, ingest, loadMetadata, loadStream } from './bronze/index.ts';
export type { LoadOptions, LoadReport, LoadTarget, TypeChange } from './bronze/index.ts';
export { RestApiSourceConfigSchema, restApiSource } from './rest-api/index.ts';
export { FileSourceConfigSchema, fileSource } from './files/index.ts';
export type { FileSourceConfig, FileSourceConfigInput, FileSourceOptions } from './files/index.ts';
export type { RestApiSourceConfig, RestApiSourceConfigInput, RestApiSourceOptions } from './rest-api/index.ts';
export {
  ExportAssetOptions,
  SourceAssetOptions,
  connectorComponents,
  exportComponent,
  exportTo,
  fileSourceComponent,
  mysqlExportComponent,
  mysqlSourceComponent,
  postgresExportComponent,
  postgresSourceComponent,
  restApiSourceComponent,
  sourceComponent,
} from './components/index.ts';
export type { Destination, ExportInput, ExportOptions, ExportResult } from './destination.ts';
export * from './postgres/index.ts';
export * from './mysql/index.ts';
