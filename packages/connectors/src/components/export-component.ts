import type { AssetContext, AssetDefinition, ComponentDefinition } from '@strata/core';
import { defineComponent } from '@strata/core';
import { z } from 'zod';
import type { Destination, ExportOptions, ExportResult } from '../destination.ts';

const KEY = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$/, 'an asset key: layer.name or domain.layer.name');

/** Options of every export component besides the destination's connection. */
export const ExportAssetOptions = z.object({
  /** The asset whose table is exported (`gold.revenue_by_park`). */
  from: KEY,
  /** The target table (`schema.table`, or `table`). */
  table: z.string().min(1),
  mode: z.enum(['replace', 'upsert']).default('replace'),
  /** Key columns: required for upsert; a unique index on them is created with the table. */
  keys: z.array(z.string().min(1)).min(1).optional(),
  description: z.string().optional(),
  owner: z.string().optional(),
  tags: z.array(z.string()).optional(),
  retries: z.number().int().min(0).max(20).optional(),
});

type ExportAssetOptions = z.infer<typeof ExportAssetOptions>;

/**
 * Copies an asset's table into an external table (reverse ETL), from an asset's compute:
 * `compute: (ctx) => exportTo(ctx, postgresDestination(config), { from: 'gold.kpis', table: 'public.kpis', mode: 'replace' })`.
 * The relation is read from the asset's view; the export's report becomes the metadata.
 */
export async function exportTo(
  ctx: AssetContext,
  destination: Destination,
  options: ExportOptions & { readonly from: string },
): Promise<{ metadata: Record<string, unknown>; rowsWritten: number }> {
  let result: ExportResult;
  try {
    const relation = ctx.relation(options.from);
    // The view must be current in this session before the export reads it.
    await relation.limit(0).fetch();
    result = await destination.export(
      { engine: ctx.lake.engine, sql: relation.sql, signal: ctx.signal, log: (level, message, data) => ctx.log[level](message, data) },
      options,
    );
  } finally {
    await destination.close?.();
  }
  ctx.log.info(`exported ${result.rowsWritten} row(s) of ${options.from} to ${destination.name} ${options.table} (${options.mode})`);
  return {
    metadata: {
      destination: destination.name,
      target_table: options.table,
      mode: options.mode,
      rows_exported: result.rowsWritten,
      bytes_sent: result.bytesSent,
      created: result.created,
      ...(result.migrated.length > 0 ? { columns_added: result.migrated } : {}),
    },
    rowsWritten: result.rowsWritten,
  };
}

/** A YAML component exporting an asset's table with a destination built from the rest of the YAML. */
export function exportComponent<S extends z.ZodObject>(def: {
  readonly name: string;
  readonly description: string;
  /** The destination's own configuration (connection, rate limit…). */
  readonly schema: S;
  readonly destination: (config: z.infer<S>) => Destination;
}): ComponentDefinition {
  const schema = def.schema.safeExtend(ExportAssetOptions.shape).refine((c) => c.mode !== 'upsert' || ((c.keys as string[] | undefined)?.length ?? 0) > 0, {
    message: 'mode upsert needs keys: [the key columns]',
    path: ['keys'],
  });
  return defineComponent({
    name: def.name,
    description: def.description,
    schema,
    build(config, ctx) {
      const { from, table, mode, keys, description, owner, tags, retries, ...rest } = config as ExportAssetOptions & Record<string, unknown>;
      const destinationConfig = rest as z.infer<S>;
      const asset: AssetDefinition = {
        key: `${ctx.layer}.${ctx.name}`,
        deps: [from],
        description: description ?? `Exports ${from} to ${table} (${mode})`,
        tags: tags ?? ['export'],
        ...(owner ? { owner } : {}),
        ...(retries !== undefined ? { retry: { maxRetries: retries } } : {}),
        metadata: { export_target: table, export_mode: mode },
        compute: (actx) => exportTo(actx, def.destination(destinationConfig), { from, table, mode, ...(keys ? { keys } : {}) }),
      };
      return [asset];
    },
  });
}
