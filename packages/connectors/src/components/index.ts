import type { ComponentDefinition } from '@strata/core';
import { restApiSourceComponent } from './rest-api-source.ts';

export { sourceComponent, SourceAssetOptions } from './source-component.ts';
export { restApiSourceComponent };

/** The connectors' YAML components, registered in every project the CLI opens. */
export const connectorComponents: readonly ComponentDefinition[] = [restApiSourceComponent];
