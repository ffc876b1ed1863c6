import { CoreError } from '../errors.ts';
import type { AssetGraph } from './asset-graph.ts';

/**
 * Resolves a selection to asset keys, in the syntax dbt and Dagster users know:
 * - a key (`parks.silver.bookings`, or `silver.bookings` matching any domain) or a glob (`parks.gold.*`);
 * - `tag:pii`, `layer:silver`, `domain:parks`, `kind:sql`, `owner:team-a`;
 * - `+x` adds everything upstream of x, `2+x` two levels; `x+` / `x+2` downstream; `+x+` both;
 * - terms separated by spaces (or given as several strings) are a union; a comma inside one term
 *   intersects (`layer:gold,tag:kpi`).
 * `*` or an empty selection selects every asset. A term that matches nothing is an error naming it.
 */
export function resolveSelection(graph: AssetGraph, selection: readonly string[] | string | undefined): Set<string> {
  const terms = (typeof selection === 'string' ? [selection] : (selection ?? []))
    .flatMap((s) => s.split(/\s+/))
    .filter((s) => s.length > 0);
  if (terms.length === 0) return new Set(graph.order);
  const out = new Set<string>();
  for (const term of terms) {
    const parts = term.split(',').map((p) => resolveTerm(graph, p));
    const [first, ...rest] = parts;
    for (const k of first ?? []) if (rest.every((p) => p.has(k))) out.add(k);
  }
  return out;
}

const GRAPH_OPS = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/;

function resolveTerm(graph: AssetGraph, term: string): Set<string> {
  const m = GRAPH_OPS.exec(term);
  if (!m || !m[2]) throw new CoreError('CORE_SELECTION', `invalid selection "${term}"`);
  const upDepth = m[1] === undefined ? undefined : m[1] === '' ? Infinity : Number(m[1]);
  const downDepth = m[3] === undefined ? undefined : m[3] === '' ? Infinity : Number(m[3]);
  const base = matchAtom(graph, m[2]);
  if (base.size === 0) throw new CoreError('CORE_SELECTION', `selection "${term}" matches no asset`);
  const out = new Set(base);
  for (const k of base) {
    if (upDepth !== undefined) for (const u of graph.upstream(k, upDepth === Infinity ? undefined : upDepth)) out.add(u);
    if (downDepth !== undefined) for (const d of graph.downstream(k, downDepth === Infinity ? undefined : downDepth)) out.add(d);
  }
  return out;
}

function matchAtom(graph: AssetGraph, atom: string): Set<string> {
  const colon = atom.indexOf(':');
  const assets = graph.assets();
  if (colon > 0) {
    const [field, value] = [atom.slice(0, colon), atom.slice(colon + 1)];
    const re = glob(value);
    const pick = (test: (a: (typeof assets)[number]) => boolean) => new Set(assets.filter(test).map((a) => a.key));
    switch (field) {
      case 'tag':
        return pick((a) => a.tags.some((t) => re.test(t)));
      case 'layer':
        return pick((a) => re.test(a.layer));
      case 'domain':
        return pick((a) => re.test(a.domain));
      case 'kind':
        return pick((a) => re.test(a.kind));
      case 'owner':
        return pick((a) => a.owner !== undefined && re.test(a.owner));
      case 'key':
        return matchKey(graph, value);
      default:
        throw new CoreError('CORE_SELECTION', `unknown selector "${field}:" in "${atom}"; use tag:, layer:, domain:, kind:, owner: or key:`);
    }
  }
  return matchKey(graph, atom);
}

function matchKey(graph: AssetGraph, pattern: string): Set<string> {
  if (pattern === '*') return new Set(graph.order);
  const segments = pattern.split('.').length;
  const re = glob(pattern);
  return new Set(
    graph.order.filter((k) => {
      const candidate = segments === 3 ? k : segments === 2 ? k.split('.').slice(1).join('.') : (k.split('.').at(-1) as string);
      return re.test(candidate);
    }),
  );
}

function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^.]*').replaceAll('?', '[^.]');
  return new RegExp(`^${body}$`);
}
