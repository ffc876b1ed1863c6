/** A DuckDB column type as DESCRIBE writes it, reduced to what type tables look up. */
export interface DuckdbType {
  /**
   * The base type (`INTEGER`, `DECIMAL`, `TIMESTAMP WITH TIME ZONE`), or `LIST`, `STRUCT`, `MAP`,
   * `UNION`, `ENUM` for the types DuckDB writes with their parts.
   */
  readonly base: string;
  /** Numeric parameters: DECIMAL's precision and scale. */
  readonly args: readonly number[];
}

/** Parses `DECIMAL(12,2)`, `INTEGER[]`, `STRUCT(a INTEGER)`, `ENUM('a', 'b')`, `TIMESTAMP WITH TIME ZONE`… */
export function parseDuckdbType(type: string): DuckdbType {
  const text = type.trim().toUpperCase();
  if (text.endsWith(']')) return { base: 'LIST', args: [] };
  for (const nested of ['STRUCT', 'MAP', 'UNION', 'ENUM']) {
    if (text.startsWith(`${nested}(`)) return { base: nested, args: [] };
  }
  const m = /^([A-Z_ ]+?)\s*\(([\d,\s]+)\)$/.exec(text);
  if (m) return { base: m[1] as string, args: (m[2] as string).split(',').map((n) => Number(n.trim())) };
  return { base: text, args: [] };
}

/** Quotes an identifier for DuckDB. */
export function duckdbIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
