import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One asset of a generated project; `deps` are full keys of earlier assets. */
export interface GeneratedAsset {
  readonly domain: string;
  readonly layer: 'bronze' | 'silver' | 'gold';
  readonly name: string;
  readonly key: string;
  readonly deps: readonly string[];
}

/** What a graph looks like, for the report. */
export interface GraphShape {
  readonly assets: number;
  readonly domains: number;
  readonly roots: number;
  readonly edges: number;
  readonly crossDomainEdges: number;
  /** Assets on the longest dependency path. */
  readonly depth: number;
}

/** Which earlier layers an asset of a layer may read (gold never reads bronze: the medallion rule). */
const READS: Record<GeneratedAsset['layer'], readonly GeneratedAsset['layer'][]> = {
  bronze: [],
  silver: ['bronze', 'silver'],
  gold: ['silver', 'gold'],
};

/** Mulberry32: a small seeded generator, so that every run builds the same graph. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A deterministic medallion graph of `count` assets over `domains` domains (`d00`, `d01`, …). In
 * each domain the first 20 % are bronze sources (no dependencies), then 50 % silver and 30 % gold.
 * Every silver and gold asset reads 1–3 earlier assets of the layers it may read: the first among
 * the five latest of its own domain (so chains run deep), the others anywhere earlier, one in ten
 * in another domain (so domains interleave).
 */
export function generateGraph(count: number, domains = 10, seed = 20261123): GeneratedAsset[] {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const domainCount = Math.max(1, Math.min(domains, count));
  const perDomain = Array.from({ length: domainCount }, (_, d) => Math.floor(count / domainCount) + (d < count % domainCount ? 1 : 0));
  const byDomain: GeneratedAsset[][] = perDomain.map(() => []);
  const all: GeneratedAsset[] = [];
  const widest = Math.max(...perDomain);
  // Interleave the domains so that "earlier" spans all of them.
  for (let j = 0; j < widest; j++) {
    for (let d = 0; d < domainCount; d++) {
      const n = perDomain[d] as number;
      if (j >= n) continue;
      const layer = j < Math.max(1, Math.round(n * 0.2)) ? 'bronze' : j < Math.round(n * 0.7) ? 'silver' : 'gold';
      const domain = `d${String(d).padStart(2, '0')}`;
      const name = `${layer[0]}_${String(j).padStart(4, '0')}`;
      const own = (byDomain[d] as GeneratedAsset[]).filter((a) => READS[layer].includes(a.layer));
      const deps = new Set<string>();
      if (own.length > 0) {
        deps.add(pick(own.slice(-5)).key);
        const extra = Math.floor(rand() * 3);
        for (let e = 0; e < extra; e++) {
          const pool = rand() < 0.1 ? all.filter((a) => a.domain !== domain && READS[layer].includes(a.layer)) : own;
          if (pool.length > 0) deps.add(pick(pool).key);
        }
      }
      const asset: GeneratedAsset = { domain, layer, name, key: `${domain}.${layer}.${name}`, deps: [...deps].sort() };
      (byDomain[d] as GeneratedAsset[]).push(asset);
      all.push(asset);
    }
  }
  return all;
}

export function graphShape(assets: readonly GeneratedAsset[]): GraphShape {
  const depth = new Map<string, number>();
  for (const a of assets) depth.set(a.key, 1 + Math.max(0, ...a.deps.map((d) => depth.get(d) ?? 0)));
  return {
    assets: assets.length,
    domains: new Set(assets.map((a) => a.domain)).size,
    roots: assets.filter((a) => a.deps.length === 0).length,
    edges: assets.reduce((n, a) => n + a.deps.length, 0),
    crossDomainEdges: assets.reduce((n, a) => n + a.deps.filter((d) => !d.startsWith(`${a.domain}.`)).length, 0),
    depth: Math.max(0, ...depth.values()),
  };
}

/** How an upstream is named from an asset's SQL: `layer.name` in its own domain, else in full. */
function ref(from: GeneratedAsset, key: string): string {
  return key.startsWith(`${from.domain}.`) ? key.slice(from.domain.length + 1) : key;
}

/** The query of an SQL model: a source over range(), or a join of its upstreams on `id`. */
export function modelSql(a: GeneratedAsset): string {
  if (a.deps.length === 0) return 'select i as id, i * 2 as v from range(100) as t(i)';
  const joins = a.deps.map((d, i) => (i === 0 ? `from ${ref(a, d)} as t0` : `join ${ref(a, d)} as t${i} using (id)`));
  return `select t0.id, ${a.deps.map((_, i) => `t${i}.v`).join(' + ')} as v\n${joins.join('\n')}`;
}

/** An SQL model file: a YAML header, then the query. */
export function sqlModel(a: GeneratedAsset): string {
  return `/*\ndescription: Generated ${a.layer} model ${a.name}.\ntags: [generated, ${a.layer}]\n*/\n${modelSql(a)}\n`;
}

/** A TypeScript asset as a plain exported object whose compute returns nothing (nothing is written). */
export function tsAsset(a: GeneratedAsset): string {
  const deps = a.deps.map((d) => `'${ref(a, d)}'`).join(', ');
  return `export const ${a.name} = { key: '${a.layer}.${a.name}', deps: [${deps}], compute: () => undefined };\n`;
}

/**
 * Writes a project: a `strata.yaml` keeping run history in memory (the benchmark passes its own
 * run storage) and one file per asset at `domains/<domain>/<layer>/<name>.sql` (or `.ts`). A
 * TypeScript project is an ES-module package, as the `strata` command loads .ts assets.
 */
export async function writeProject(dir: string, assets: readonly GeneratedAsset[], kind: 'sql' | 'ts'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'strata.yaml'), "name: generated\nlake: lake\nmetadata: 'memory:'\n");
  if (kind === 'ts') await writeFile(join(dir, 'package.json'), '{ "name": "generated", "private": true, "type": "module" }\n');
  const folders = new Set(assets.map((a) => join(dir, 'domains', a.domain, a.layer)));
  for (const f of folders) await mkdir(f, { recursive: true });
  const text = (a: GeneratedAsset) => (kind === 'sql' ? sqlModel(a) : tsAsset(a));
  const writes = assets.map((a) => () => writeFile(join(dir, 'domains', a.domain, a.layer, `${a.name}.${kind}`), text(a)));
  for (let i = 0; i < writes.length; i += 64) await Promise.all(writes.slice(i, i + 64).map((w) => w()));
}
