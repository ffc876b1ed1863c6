import type { ComponentDefinition } from '@strata/core';
import { mysqlExportComponent, mysqlSourceComponent, postgresExportComponent, postgresSourceComponent } from './database.ts';
import { fileSourceComponent } from './file-source.ts';
import { restApiSourceComponent } from './rest-api-source.ts';

export { SourceAssetOptions, sourceComponent } from './source-component.ts';
export { ExportAssetOptions, exportComponent, exportTo } from './export-component.ts';
export { fileSourceComponent, mysqlExportComponent, mysqlSourceComponent, postgresExportComponent, postgresSourceComponent, restApiSourceComponent };

/** The connectors' YAML components, registered in every project the CLI opens. */
export const connectorComponents: readonly ComponentDefinition[] = [
  restApiSourceComponent,
  fileSourceComponent,
  postgresSourceComponent,
  mysqlSourceComponent,
  postgresExportComponent,
  mysqlExportComponent,
];
