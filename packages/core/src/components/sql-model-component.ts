import { z } from 'zod';
import { SqlModelConfigSchema, sqlModelAsset } from '../project/sql-model.ts';
import { defineComponent } from './component.ts';

/** `component: sql_model`: an SQL model written in YAML (same options as an SQL file's header). */
export const sqlModelComponent = defineComponent({
  name: 'sql_model',
  description: 'An SQL model: a SELECT whose dependencies are inferred from the tables it reads.',
  schema: SqlModelConfigSchema.extend({
    /** The model's SELECT statement. */
    sql: z.string().min(1),
    /** Asset name (default: the file name). */
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  }),
  async build(config, ctx) {
    const { sql, name, ...options } = config;
    const header = JSON.stringify(options);
    const asset = await sqlModelAsset(ctx.engine, sql, ctx.file, {
      domain: ctx.domain,
      layer: ctx.layer,
      name: name ?? ctx.name,
      layers: ctx.layers,
      sidecarYaml: header,
    });
    return [{ ...asset, kind: 'sql_model' }];
  },
});
