import { sqlIdent as ident } from '@strata/delta';

/**
 * SQL for the next version of an SCD type 2 snapshot table from the current source rows and the
 * current table (undefined on the first run). A key whose tracked values changed gets its current
 * row closed (`valid_to` = now, `is_current` = false) and a new current row; new keys get a row;
 * keys missing from the source keep their current row. Tracked values: `updatedAt` when given,
 * else every source column.
 */
export function snapshotSql(
  source: string,
  current: string | undefined,
  columns: readonly string[],
  keys: readonly string[],
  updatedAt?: string,
): string {
  const now = 'now()::TIMESTAMPTZ';
  if (!current) {
    return `SELECT s.*, ${now} AS valid_from, CAST(NULL AS TIMESTAMPTZ) AS valid_to, true AS is_current FROM (${source}) s`;
  }
  const on = keys.map((k) => `s.${ident(k)} = c.${ident(k)}`).join(' AND ');
  const tracked = updatedAt ? [updatedAt] : columns.filter((c) => !keys.includes(c));
  const changed = tracked.length > 0 ? tracked.map((c) => `s.${ident(c)} IS DISTINCT FROM c.${ident(c)}`).join(' OR ') : 'false';
  return `
    WITH s AS (${source}),
         c AS (SELECT * FROM (${current}) WHERE is_current),
         changed AS (SELECT s.* FROM s JOIN c ON ${on} WHERE ${changed}),
         fresh AS (SELECT s.* FROM s ANTI JOIN c ON ${on})
    SELECT t.* EXCLUDE (valid_to, is_current),
           CASE WHEN t.is_current AND EXISTS (SELECT 1 FROM changed s WHERE ${keys.map((k) => `s.${ident(k)} = t.${ident(k)}`).join(' AND ')}) THEN ${now} ELSE t.valid_to END AS valid_to,
           t.is_current AND NOT EXISTS (SELECT 1 FROM changed s WHERE ${keys.map((k) => `s.${ident(k)} = t.${ident(k)}`).join(' AND ')}) AS is_current
    FROM (${current}) t
    UNION ALL BY NAME
    SELECT x.*, ${now} AS valid_from, CAST(NULL AS TIMESTAMPTZ) AS valid_to, true AS is_current FROM (SELECT * FROM changed UNION ALL SELECT * FROM fresh) x`;
}
