import { assertPartitionKey } from '../definitions/partitions.ts';
import { CoreError } from '../errors.ts';
import type { AssetGraph } from '../graph/asset-graph.ts';

/** One unit of work: an asset, or one partition of a partitioned asset. */
export interface Step {
  /** `key` or `key[partition]`. */
  readonly id: string;
  readonly key: string;
  readonly partition?: string;
  /** Ids of the steps of this plan that must succeed first. */
  readonly after: readonly string[];
}

/** An immutable execution plan: steps in dependency order. */
export interface Plan {
  readonly steps: readonly Step[];
}

export const stepId = (key: string, partition?: string): string => (partition === undefined ? key : `${key}[${partition}]`);

export interface PlanOptions {
  /** Partition keys to run for the partitioned assets of the selection (default: none → error). */
  readonly partitions?: readonly string[];
}

/**
 * Plans the selected assets in dependency order. Partitioned assets get one step per requested
 * partition; a partitioned step waits for the same partition of partitioned upstreams and for
 * unpartitioned upstreams; an unpartitioned step waits for every step of its upstreams.
 */
export function planRun(graph: AssetGraph, selected: ReadonlySet<string>, options: PlanOptions = {}): Plan {
  const steps: Step[] = [];
  const stepsOf = new Map<string, Step[]>();
  for (const key of graph.order) {
    if (!selected.has(key)) continue;
    const asset = graph.get(key);
    const upstream = asset.deps.filter((d) => selected.has(d));
    const parts = asset.partitions ? partitionsFor(key, asset.partitions, options.partitions) : [undefined];
    const mine: Step[] = parts.map((p) => {
      const after = upstream.flatMap((d) => {
        const ds = stepsOf.get(d) ?? [];
        const same = ds.filter((s) => s.partition === p);
        return (p !== undefined && same.length > 0 ? same : ds).map((s) => s.id);
      });
      return { id: stepId(key, p), key, partition: p, after };
    });
    stepsOf.set(key, mine);
    steps.push(...mine);
  }
  return { steps };
}

function partitionsFor(key: string, def: Parameters<typeof assertPartitionKey>[0], requested?: readonly string[]): string[] {
  if (!requested || requested.length === 0) {
    throw new CoreError('CORE_INVALID_PARTITION', `asset ${key} is partitioned (${def.kind}): give a partition (--partition) or use backfill`);
  }
  for (const p of requested) assertPartitionKey(def, p);
  return [...requested];
}
