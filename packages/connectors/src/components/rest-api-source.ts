import { RestApiSourceConfigSchema, restApiSource } from '../rest-api/index.ts';
import { sourceComponent } from './source-component.ts';

/** `component: rest_api_source`: one bronze asset per stream of a REST API. */
export const restApiSourceComponent = sourceComponent({
  name: 'rest_api_source',
  description: 'Loads the streams of a REST API (auth, pagination, incremental by watermark) into bronze tables',
  schema: RestApiSourceConfigSchema,
  source: (config) => restApiSource(config),
  origin: (config, stream) => `${config.base_url.replace(/\/$/, '')}${config.streams.find((s) => s.name === stream)?.path ?? ''}`,
});
