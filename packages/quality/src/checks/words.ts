/** A count with thousands separators: `1,234`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 row fails` / `12 rows fail`. */
export function rowsThat(n: number, singular: string, plural: string): string {
  return n === 1 ? `1 row ${singular}` : `${count(n)} rows ${plural}`;
}

/** `1 row has` / `12 rows have`. */
export function rowsHave(n: number): string {
  return rowsThat(n, 'has', 'have');
}

/** `1 row` / `12 rows`. */
export function rows(n: number): string {
  return n === 1 ? '1 row' : `${count(n)} rows`;
}

/** A value for metrics: finite numbers stay numbers, anything else becomes text (`Infinity`, `NaN`, big integers). */
export function metric(v: unknown): number | string {
  return typeof v === 'number' && Number.isFinite(v) ? v : String(v);
}

/** A query result's number (counts arrive as numbers, or as text past 2^53). */
export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}
