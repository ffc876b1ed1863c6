import type { Engine } from '@strata/delta';
import { normalizeType, typeKind } from './column-types.ts';
import type { Column, RelationColumns } from './columns.ts';
import type { SampleRow } from './outcome.ts';
import { ident, str } from './sql.ts';

/**
 * A column as a sample value: numbers, text and booleans as they are, anything else as text, so
 * that samples serialise to JSON and odd values (infinite timestamps, blobs) do not break reading.
 */
export function sampleValue(column: Column): string {
  const kind = typeKind(column.type);
  return kind === 'number' || kind === 'text' || normalizeType(column.type) === 'BOOLEAN' ? ident(column.name) : `CAST(${ident(column.name)} AS VARCHAR)`;
}

/** The columns a check's sample shows: the checked ones, then the key columns present in the relation. */
export function sampleColumns(columns: RelationColumns, checked: readonly string[], keyColumns: readonly string[] = []): Column[] {
  const out = new Map<string, Column>();
  for (const name of [...checked, ...keyColumns]) {
    const c = columns.get(name);
    if (c && !out.has(c.name.toLowerCase())) out.set(c.name.toLowerCase(), c);
  }
  return [...out.values()];
}

/** A struct of sample values (`{'id': "id", …}`), for collecting samples inside an aggregate. */
export function sampleStruct(cols: readonly Column[], extra: Readonly<Record<string, string>> = {}): string {
  const fields = [...cols.map((c) => `${str(c.name)}: ${sampleValue(c)}`), ...Object.entries(extra).map(([k, v]) => `${str(k)}: ${v}`)];
  return `{${fields.join(', ')}}`;
}

/** Up to `size` rows of `from` matching `where`, with only `cols`. Stops reading once it has them. */
export async function fetchSample(engine: Engine, from: string, where: string, cols: readonly Column[], size: number): Promise<SampleRow[]> {
  if (size <= 0 || cols.length === 0) return [];
  return engine.query(`SELECT ${cols.map((c) => `${sampleValue(c)} AS ${ident(c.name)}`).join(', ')} FROM ${from} WHERE ${where} LIMIT ${Math.floor(size)}`);
}
