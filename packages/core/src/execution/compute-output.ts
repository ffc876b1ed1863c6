import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComputeOutput, ResolvedAsset, Row } from '../definitions/asset.ts';
import { CoreError } from '../errors.ts';
import { isRelation } from '../relation/relation.ts';
import { arrowRows, isArrowTable } from './arrow.ts';
import { sqlString as q } from '@strata/delta';

/** What compute returned, in one shape: SQL, or rows to stage; with its metadata. */
export interface Normalized {
  readonly sql?: string;
  readonly rows?: Iterable<Row> | AsyncIterable<Row>;
  /** Declared column types of `rows` (from an Arrow schema); inferred by DuckDB otherwise. */
  readonly columns?: readonly { name: string; type: string }[];
  readonly metadata: Record<string, unknown>;
  readonly rowsWritten?: number;
}

/** Reads any of compute's return forms (see ComputeOutput); anything else is the asset author's error. */
export function normalize(out: ComputeOutput, asset: ResolvedAsset): Normalized {
  if (out === undefined || out === null) return { metadata: {} };
  if (typeof out === 'string') return { sql: out, metadata: {} };
  if (isRelation(out)) return { sql: out.sql, metadata: {} };
  if (isArrowTable(out)) {
    const { rows, columns } = arrowRows(out);
    return { rows, columns, metadata: {} };
  }
  if (typeof out === 'object' && 'sql' in out && typeof out.sql === 'string') return { sql: out.sql, metadata: { ...(out.metadata ?? {}) } };
  if (typeof out === 'object' && 'rows' in out) return { rows: out.rows, metadata: { ...(out.metadata ?? {}) } };
  if (isIterable(out)) return { rows: out, metadata: {} };
  if (typeof out === 'object' && 'metadata' in out) {
    const rowsWritten = 'rowsWritten' in out && typeof out.rowsWritten === 'number' ? out.rowsWritten : undefined;
    return { metadata: { ...out.metadata }, ...(rowsWritten !== undefined ? { rowsWritten } : {}) };
  }
  throw new CoreError(
    'CORE_USER_CODE',
    `${asset.key}: compute returned ${typeof out}; return SQL, { sql }, a relation, an Arrow table, rows (an iterable of objects), { rows }, { metadata } or nothing`,
  );
}

function isIterable(x: unknown): x is Iterable<Row> | AsyncIterable<Row> {
  return typeof x === 'object' && x !== null && (Symbol.iterator in x || Symbol.asyncIterator in x);
}

/** SQL reading staged rows: with their declared column types, else with DuckDB's inference. */
export function readStaged(file: string, columns: readonly { name: string; type: string }[] | undefined): string {
  if (!columns || columns.length === 0) return `SELECT * FROM read_json_auto(${q(file)}, format = 'newline_delimited')`;
  const spec = columns.map((c) => `${q(c.name)}: ${q(c.type)}`).join(', ');
  return `SELECT * FROM read_json(${q(file)}, format = 'newline_delimited', columns = {${spec}})`;
}

/** Writes rows as newline-delimited JSON for DuckDB to read with type inference. */
export async function stageRows(rows: Iterable<Row> | AsyncIterable<Row>, dir: string): Promise<string> {
  const file = join(dir, `rows-${randomUUID()}.ndjson`);
  const lines: string[] = [];
  for await (const r of rows as AsyncIterable<Row>) lines.push(JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  await writeFile(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return file;
}
