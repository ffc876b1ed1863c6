import type { Engine } from '@strata/delta';
import type { RelationColumns } from './columns.ts';
import { checkError } from './engine-errors.ts';
import type { Finding, SampleRow } from './outcome.ts';
import type { ResolvedCheck } from './resolve.ts';
import { keyColumns } from './row-rules.ts';
import { sampleStruct } from './samples.ts';
import { ident } from './sql.ts';
import { count, rows } from './words.ts';

type UniqueCheck = Extract<ResolvedCheck, { type: 'unique' }>;

const SET = ident('__strata_set');
const N = ident('__strata_rows');

/**
 * Measures unique checks with one query: one GROUP BY GROUPING SETS over the relation (one
 * grouping per key, keeping only keys seen more than once), then per check the number of
 * duplicated keys, the rows they cover (every copy counts) and up to `sampleSize` of the keys.
 * Keys with a NULL in any of their columns are ignored. The aggregate scan tells cheaply whether
 * a key repeats at all; this runs only for the checks it found failing.
 */
export async function measureUnique(engine: Engine, from: string, checks: readonly UniqueCheck[], columns: RelationColumns, sampleSize: number): Promise<Map<string, Finding>> {
  const keys = checks.map((check) => keyColumns(check).map((c) => columns.require(check.name, c)));
  const all = [...new Map(keys.flat().map((c) => [c.name.toLowerCase(), c])).values()];
  const sets = [...new Map(keys.map((k) => [setId(k.map((c) => c.name)), k])).values()];
  // GROUPING() sets one bit per argument not grouped, the last argument being the lowest bit.
  const mask = (names: readonly string[]) => {
    const inSet = new Set(names.map((n) => n.toLowerCase()));
    return all.reduce((m, c, i) => (inSet.has(c.name.toLowerCase()) ? m : m | (1n << BigInt(all.length - 1 - i))), 0n);
  };
  const allCols = all.map((c) => ident(c.name)).join(', ');
  const grouped =
    `SELECT GROUPING(${allCols}) AS ${SET}, ${allCols}, count(*) AS ${N} FROM ${from} ` +
    `GROUP BY GROUPING SETS (${sets.map((s) => `(${s.map((c) => ident(c.name)).join(', ')})`).join(', ')}) HAVING count(*) > 1`;
  const select = keys.flatMap((k, i) => {
    const filter = `FILTER (WHERE ${SET} = ${mask(k.map((c) => c.name))} AND ${k.map((c) => `${ident(c.name)} IS NOT NULL`).join(' AND ')})`;
    const out = [`count(*) ${filter} AS ${ident(`u${i}_keys`)}`, `sum(${N}) ${filter} AS ${ident(`u${i}_rows`)}`];
    if (sampleSize > 0) out.push(`min(${sampleStruct(k, { _count: N })}, ${Math.floor(sampleSize)}) ${filter} AS ${ident(`u${i}_sample`)}`);
    return out;
  });
  let row: Record<string, unknown>;
  try {
    [row = {}] = await engine.query(`WITH _groups AS (${grouped})\nSELECT ${select.join(', ')} FROM _groups`);
  } catch (e) {
    throw checkError(checks.map((c) => c.name), e);
  }
  return new Map(
    checks.map((check, i) => {
      const sample = row[`u${i}_sample`] as SampleRow[] | null | undefined;
      return [check.name, uniqueFinding(keys[i]?.map((c) => c.name) ?? [], Number(row[`u${i}_keys`] ?? 0), Number(row[`u${i}_rows`] ?? 0), sample ?? undefined)];
    }),
  );
}

function setId(names: readonly string[]): string {
  return names.map((n) => n.toLowerCase()).sort().join('\u0000');
}

/** What a unique check found: `dupKeys` keys seen more than once, in `dupRows` rows. */
export function uniqueFinding(cols: readonly string[], dupKeys: number, dupRows: number, sample?: SampleRow[]): Finding {
  const key = cols.length === 1 ? (cols[0] as string) : `(${cols.join(', ')})`;
  if (dupKeys === 0) return { passed: true, failingRows: 0, metrics: { duplicate_keys: 0, duplicate_rows: 0 }, message: `${key} is unique` };
  const what = cols.length === 1 ? (dupKeys === 1 ? 'value' : 'values') : dupKeys === 1 ? 'combination' : 'combinations';
  return {
    passed: false,
    failingRows: dupRows,
    metrics: { duplicate_keys: dupKeys, duplicate_rows: dupRows },
    message: `${count(dupKeys)} ${what} of ${key} appear${dupKeys === 1 ? 's' : ''} more than once, in ${rows(dupRows)}`,
    ...(sample ? { sample } : {}),
  };
}
