import type { AssetDefinition, ComponentContext, ComponentDefinition } from '@strata/core';
import { defineComponent } from '@strata/core';
import { ChecksSchema } from '@strata/quality';
import type { CheckDefinition } from '@strata/quality';
import { z } from 'zod';
import type { Source } from '../source.ts';
import { ingest } from '../bronze/index.ts';

/** Options every source component accepts besides the connector's own. */
export const SourceAssetOptions = z.object({
  /** Prefix of the asset names (`parks_` → `bronze.parks_bookings`); default none. */
  asset_prefix: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _').optional(),
  description: z.string().optional(),
  owner: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** Per-asset retries of a failed load (each retry resumes from the last committed batch). */
  retries: z.number().int().min(0).max(20).optional(),
  /** Checks on the rows each load appends (see docs/quality.md); a failing one stops downstream assets. */
  checks: ChecksSchema.optional(),
});

type SourceAssetOptions = z.infer<typeof SourceAssetOptions>;

/**
 * A YAML component that turns a source's configuration into one bronze asset per stream. Each
 * asset's compute opens the source and loads its stream (`ingest`): one Delta commit per batch,
 * state committed with the data.
 */
export function sourceComponent<S extends z.ZodObject>(def: {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  readonly source: (config: z.infer<S>, ctx: ComponentContext) => Source;
  /** Short description of where a stream comes from, for the catalog (never secrets). */
  readonly origin: (config: z.infer<S>, stream: string) => string;
}): ComponentDefinition {
  const schema = def.schema.safeExtend(SourceAssetOptions.shape);
  return defineComponent({
    name: def.name,
    description: def.description,
    schema,
    build(config, ctx) {
      const { asset_prefix, description, owner, tags, retries, checks, ...rest } = config as SourceAssetOptions & Record<string, unknown>;
      const options: SourceAssetOptions = { asset_prefix, description, owner, tags, retries };
      const sourceConfig = rest as z.infer<S>;
      const streams = def.source(sourceConfig, ctx).streams();
      return streams.map(
        (s): AssetDefinition => ({
          key: `${ctx.layer}.${options.asset_prefix ?? ''}${s.name}`,
          description: options.description ? `${options.description} — ${s.description ?? s.name}` : (s.description ?? `${s.name}, loaded by ${def.name}`),
          materialization: { kind: 'incremental', strategy: 'append' },
          tags: options.tags ?? [],
          ...(options.owner ? { owner: options.owner } : {}),
          ...(options.retries !== undefined ? { retry: { maxRetries: options.retries } } : {}),
          ...(checks ? { checks: checks as CheckDefinition[] } : {}),
          metadata: {
            source: def.origin(sourceConfig, s.name),
            stream: s.name,
            ...(s.primaryKey ? { primary_key: s.primaryKey } : {}),
          },
          compute: (actx) => ingest(actx, def.source(sourceConfig, ctx), s.name),
        }),
      );
    },
  });
}
