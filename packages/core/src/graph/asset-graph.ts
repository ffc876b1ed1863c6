import type { ResolvedAsset } from '../definitions/asset.ts';
import { CoreError } from '../errors.ts';

export interface GraphRules {
  /** Layers a key may use, in medallion order. */
  readonly layers: readonly string[];
  /** Refuse gold assets that read bronze assets directly (default true). */
  readonly forbidGoldFromBronze: boolean;
}

/** The validated, immutable dependency graph of a project's assets. */
export class AssetGraph {
  private readonly byKey: ReadonlyMap<string, ResolvedAsset>;
  private readonly children: ReadonlyMap<string, readonly string[]>;
  /** Keys in dependency order: every asset after its upstreams (ties by key, for stable plans). */
  readonly order: readonly string[];

  private constructor(assets: readonly ResolvedAsset[], order: string[]) {
    this.byKey = new Map(assets.map((a) => [a.key, a]));
    const children = new Map<string, string[]>(assets.map((a) => [a.key, []]));
    for (const a of assets) for (const d of a.deps) children.get(d)?.push(a.key);
    this.children = children;
    this.order = order;
  }

  /**
   * Builds and validates the graph: unique keys, known layers, existing dependencies, no cycles,
   * and the medallion rule. Every error names the assets involved.
   */
  static build(assets: readonly ResolvedAsset[], rules: GraphRules): AssetGraph {
    const byKey = new Map<string, ResolvedAsset>();
    for (const a of assets) {
      const other = byKey.get(a.key);
      if (other) {
        throw new CoreError('CORE_INVALID_DEFINITION', `asset ${a.key} is defined twice${other.source && a.source ? ` (${other.source} and ${a.source})` : ''}`);
      }
      if (!rules.layers.includes(a.layer)) {
        throw new CoreError('CORE_INVALID_DEFINITION', `asset ${a.key}${a.source ? ` (${a.source})` : ''} uses layer "${a.layer}"; layers are ${rules.layers.join(', ')}`);
      }
      byKey.set(a.key, a);
    }
    for (const a of assets) {
      for (const d of a.deps) {
        if (!byKey.has(d)) {
          const near = [...byKey.keys()].filter((k) => k.endsWith(`.${d.split('.').at(-1)}`));
          throw new CoreError(
            'CORE_MISSING_DEPENDENCY',
            `asset ${a.key}${a.source ? ` (${a.source})` : ''} depends on ${d}, which is not defined${near.length ? `; did you mean ${near.join(' or ')}?` : ''}`,
          );
        }
        if (rules.forbidGoldFromBronze && a.layer === 'gold' && byKey.get(d)?.layer === 'bronze') {
          throw new CoreError(
            'CORE_LAYER_RULE',
            `gold asset ${a.key} reads bronze asset ${d} directly; read a silver asset instead (or set layers.allowGoldFromBronze in strata.yaml)`,
          );
        }
      }
    }
    return new AssetGraph(assets, topologicalOrder(byKey));
  }

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): ResolvedAsset {
    const a = this.byKey.get(key);
    if (!a) throw new CoreError('CORE_SELECTION', `no asset ${key}`);
    return a;
  }

  assets(): ResolvedAsset[] {
    return this.order.map((k) => this.byKey.get(k) as ResolvedAsset);
  }

  parents(key: string): readonly string[] {
    return this.get(key).deps;
  }

  childrenOf(key: string): readonly string[] {
    return this.children.get(key) ?? [];
  }

  /** Assets upstream of `key` up to `depth` levels (all when undefined), excluding `key`. */
  upstream(key: string, depth?: number): Set<string> {
    return this.walk(key, (k) => this.parents(k), depth);
  }

  /** Assets downstream of `key` up to `depth` levels (all when undefined), excluding `key`. */
  downstream(key: string, depth?: number): Set<string> {
    return this.walk(key, (k) => this.childrenOf(k), depth);
  }

  private walk(start: string, next: (k: string) => readonly string[], depth?: number): Set<string> {
    const seen = new Set<string>();
    let frontier = [start];
    for (let level = 0; frontier.length > 0 && (depth === undefined || level < depth); level++) {
      const nextFrontier: string[] = [];
      for (const k of frontier) {
        for (const n of next(k)) {
          if (!seen.has(n)) {
            seen.add(n);
            nextFrontier.push(n);
          }
        }
      }
      frontier = nextFrontier;
    }
    seen.delete(start);
    return seen;
  }
}

/** Kahn's algorithm; on a cycle, names one cycle's path. */
function topologicalOrder(byKey: ReadonlyMap<string, ResolvedAsset>): string[] {
  const indegree = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const a of byKey.values()) {
    indegree.set(a.key, a.deps.length);
    for (const d of a.deps) children.set(d, [...(children.get(d) ?? []), a.key]);
  }
  const ready = [...indegree].filter(([, n]) => n === 0).map(([k]) => k).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const k = ready.shift() as string;
    order.push(k);
    const released: string[] = [];
    for (const c of children.get(k) ?? []) {
      const n = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, n);
      if (n === 0) released.push(c);
    }
    ready.push(...released.sort());
  }
  if (order.length < byKey.size) {
    const remaining = new Set([...byKey.keys()].filter((k) => !order.includes(k)));
    throw new CoreError('CORE_CYCLE', `dependency cycle: ${findCycle(byKey, remaining).join(' → ')}`);
  }
  return order;
}

function findCycle(byKey: ReadonlyMap<string, ResolvedAsset>, candidates: ReadonlySet<string>): string[] {
  const start = [...candidates].sort()[0] as string;
  const path: string[] = [];
  const onPath = new Map<string, number>();
  let k = start;
  for (;;) {
    if (onPath.has(k)) return [...path.slice(onPath.get(k)), k];
    onPath.set(k, path.length);
    path.push(k);
    k = (byKey.get(k)?.deps ?? []).find((d) => candidates.has(d)) as string;
  }
}
