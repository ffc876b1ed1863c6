import type { Engine } from '@strata/delta';
import { LOAD_COLUMNS, ident, literal } from './columns.ts';
import type { TypeChange } from './records.ts';

/**
 * Makes a relation's columns fit the bronze table's types. A column whose type differs from the
 * table's keeps the values that convert without loss (their text is unchanged by the round trip);
 * the others become NULL in the column and are kept, as received, in `_rescued_data`.
 */
export async function rescueConflicts(
  engine: Engine,
  sql: string,
  input: ReadonlyMap<string, string>,
  table: ReadonlyMap<string, string>,
): Promise<{ sql: string; typeChanges: TypeChange[] }> {
  const conflicts = [...input].filter(([name, type]) => name !== LOAD_COLUMNS.rescued && table.has(name) && table.get(name) !== type);
  if (conflicts.length === 0) return { sql, typeChanges: [] };
  const lossless = (name: string, type: string) =>
    `(${ident(name)} IS NULL OR coalesce(TRY_CAST(TRY_CAST(${ident(name)} AS ${type}) AS VARCHAR) = CAST(${ident(name)} AS VARCHAR), false))`;
  const casts = conflicts.map(
    ([name]) => `CASE WHEN ${lossless(name, table.get(name) as string)} THEN TRY_CAST(${ident(name)} AS ${table.get(name)}) END AS ${ident(name)}`,
  );
  const entries = conflicts.map(
    ([name]) => `CASE WHEN NOT ${lossless(name, table.get(name) as string)} THEN {'k': ${literal(name)}, 'v': to_json(${ident(name)})} END`,
  );
  const prior = input.has(LOAD_COLUMNS.rescued) ? `, ${ident(LOAD_COLUMNS.rescued)}` : '';
  const rescued = `CASE WHEN ${conflicts.map(([n]) => `NOT ${lossless(n, table.get(n) as string)}`).join(' OR ')}
    THEN CAST(json_merge_patch(COALESCE(CAST(${prior ? ident(LOAD_COLUMNS.rescued) : 'NULL'} AS JSON), '{}'::JSON),
      to_json(map_from_entries(list_filter([${entries.join(', ')}], e -> e IS NOT NULL)))) AS VARCHAR)
    ELSE ${prior ? ident(LOAD_COLUMNS.rescued) : 'NULL::VARCHAR'} END AS ${ident(LOAD_COLUMNS.rescued)}`;
  const out = `SELECT * REPLACE (${casts.join(', ')}${prior ? `, ${rescued}` : ''})${prior ? '' : `, ${rescued}`} FROM (${sql})`;
  const counts = await engine.query<Record<string, number>>(
    `SELECT ${conflicts.map(([n], i) => `count(*) FILTER (WHERE NOT ${lossless(n, table.get(n) as string)}) AS c${i}`).join(', ')} FROM (${sql})`,
  );
  const typeChanges = conflicts
    .map(([name, type], i) => ({ column: name, expected: table.get(name) as string, received: type, rows: Number(counts[0]?.[`c${i}`] ?? 0) }))
    .filter((c) => c.rows > 0);
  return { sql: out, typeChanges };
}
