import { randomBytes } from 'node:crypto';

/** Quotes an SQL identifier for DuckDB. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string as an SQL literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A fresh name for a temporary table: unique across the sessions sharing a database, so that
 * several loads never collide. Returned both bare (for `rejects_table = '…'`) and qualified with the
 * temporary catalog (for queries, whatever catalog the session has selected with `USE`).
 */
export function tempName(kind: string): { readonly name: string; readonly ref: string } {
  const name = `__strata_files_${kind}_${randomBytes(8).toString('hex')}`;
  return { name, ref: `temp.main.${ident(name)}` };
}
