import type { ComponentDefinition } from '@strata/core';
import { mysqlExportComponent, mysqlSourceComponent, postgresExportComponent, postgresSourceComponent } from './database.ts';
import { restApiSourceComponent } from './rest-api-source.ts';

export { SourceAssetOptions, sourceComponent } from './source-component.ts';
export { ExportAssetOptions, exportComponent, exportTo } from './export-component.ts';
export { mysqlExportComponent, mysqlSourceComponent, postgresExportComponent, postgresSourceComponent, restApiSourceComponent };

/** The connectors' YAML components, registered in every project the CLI opens. */
export const connectorComponents: readonly ComponentDefinition[] = [
  restApiSourceComponent,
  postgresSourceComponent,
  mysqlSourceComponent,
  postgresExportComponent,
  mysqlExportComponent,
];
