import type { AssetDefinition, ResolvedAsset } from '../definitions/asset.ts';
import { parseAssetKey } from '../definitions/asset-key.ts';
import { TABLE } from '../definitions/materialization.ts';
import { checkDependencies } from '../definitions/check-deps.ts';

/** Applies defaults and full keys to a TypeScript asset definition. */
export function resolveAsset(def: AssetDefinition, domain: string, source?: string): ResolvedAsset {
  const k = parseAssetKey(def.key, domain);
  return {
    key: `${k.domain}.${k.layer}.${k.name}`,
    ...k,
    deps: [
      ...new Set([
        ...(def.deps ?? []).map((d) => {
          const p = parseAssetKey(d, k.domain);
          return `${p.domain}.${p.layer}.${p.name}`;
        }),
        ...checkDependencies(def.checks ?? [], k.domain),
      ]),
    ],
    description: def.description,
    materialization: def.materialization ?? TABLE,
    partitions: def.partitions,
    partitionBy: def.partitionBy ?? [],
    tags: def.tags ?? [],
    owner: def.owner,
    metadata: def.metadata ?? {},
    retry: def.retry ?? { maxRetries: 0 },
    timeoutMs: def.timeoutMs,
    checks: def.checks ?? [],
    casts: def.casts ?? {},
    metrics: def.metrics ?? true,
    monitors: def.monitors ?? [],
    kind: 'typescript',
    source,
    compute: def.compute as ResolvedAsset['compute'],
  };
}
