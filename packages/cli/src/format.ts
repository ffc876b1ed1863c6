/** Renders query rows as an aligned text table, JSON or CSV lines. */
export function formatRows(rows: readonly Record<string, unknown>[], format: 'table' | 'json' | 'csv'): string[] {
  const text = (v: unknown): string =>
    v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) : String(v);
  if (format === 'json') return [JSON.stringify(rows, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2)];
  const columns = rows.length > 0 ? Object.keys(rows[0] as object) : [];
  if (format === 'csv') {
    const cell = (v: unknown) => {
      const s = text(v);
      return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    };
    return [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))];
  }
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '─'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c])))), `(${rows.length} row${rows.length === 1 ? '' : 's'})`];
}
