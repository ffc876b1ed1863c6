import { FileSourceConfigSchema, fileSource } from '../files/index.ts';
import { sourceComponent } from './source-component.ts';

/** `component: file_source`: files of a folder or S3 prefix into one bronze table, each file once. */
export const fileSourceComponent = sourceComponent({
  name: 'file_source',
  description: 'Loads CSV, JSON, NDJSON and Parquet files from a folder or an S3 prefix into a bronze table, each file once',
  schema: FileSourceConfigSchema,
  // Relative folders are relative to the project.
  source: (config, ctx) => fileSource(config, { baseDir: ctx.projectDir }),
  origin: (config) => `files: ${config.location}`,
});
