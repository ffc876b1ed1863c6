import type { ResolvedAsset } from '../definitions/asset.ts';
import { DEFAULT_LAYERS, normalizeAssetKey } from '../definitions/asset-key.ts';
import { CoreError } from '../errors.ts';
import type { DbtNode } from './load.ts';
import type { Properties } from './properties.ts';

/**
 * The asset key of `source(s, t)`: `meta.strata_asset` of the table when given (`layer.name`
 * or `domain.layer.name`); else the source's `database` as the domain (default: the project's),
 * its `schema` as the layer when it names one (default bronze), and the table's `identifier`
 * (default: its name). A seed with that key is the source's table.
 */
export function sourceKey(properties: Properties, domain: string, sourceName: string, tableName: string): string {
  const source = properties.sources.find((s) => s.name === sourceName);
  const table = source?.tables?.find((t) => t.name === tableName);
  if (!source || !table) {
    throw new CoreError('CORE_MISSING_DEPENDENCY', `source('${sourceName}', '${tableName}') is not declared under sources: in a .yml file of the model paths`);
  }
  const explicit = table.meta?.strata_asset;
  if (typeof explicit === 'string') return normalizeAssetKey(explicit, domain);
  const layer = source.schema && (DEFAULT_LAYERS as readonly string[]).includes(source.schema) ? source.schema : 'bronze';
  return normalizeAssetKey(`${source.database ?? domain}.${layer}.${table.identifier ?? table.name}`);
}

/** Source tables that are not seeds: assets that nothing computes (their tables must exist). */
export function sourceAssets(properties: Properties, domain: string, nodes: ReadonlyMap<string, DbtNode>): { asset: ResolvedAsset; node: DbtNode }[] {
  const out = new Map<string, { asset: ResolvedAsset; node: DbtNode }>();
  for (const s of properties.sources) {
    for (const t of s.tables ?? []) {
      const key = sourceKey(properties, domain, s.name, t.name);
      if (nodes.has(key) || out.has(key)) continue;
      const [d, layer, name] = key.split('.') as [string, string, string];
      out.set(key, {
        asset: {
          key,
          domain: d,
          layer,
          name,
          deps: [],
          description: t.description ?? undefined,
          materialization: { kind: 'table' },
          partitionBy: [],
          tags: [],
          metadata: { dbt_source: `${s.name}.${t.name}`, dbt_file: s.file },
          retry: { maxRetries: 0 },
          checks: [],
          casts: {},
          metrics: true,
          monitors: [],
          kind: 'dbt_source',
          source: s.file,
          compute: () => undefined,
        },
        node: { key, resourceType: 'source', name: `${s.name}.${t.name}`, file: s.file, materialized: 'source' },
      });
    }
  }
  return [...out.values()];
}
