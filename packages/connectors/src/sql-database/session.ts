import type { ColumnSpec, JsonValue } from '../source.ts';
import type { ChunkQuery, KeysetDialect } from './keyset.ts';

/** Rows read by one query. */
export interface RowChunk {
  /** Values converted for the typed batch (see the dialect's type table). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /**
   * The database's own text form of `column` in row `index`: what keyset parameters and stream
   * states hold, so that a position survives as the database wrote it (microseconds, big numbers).
   */
  raw(index: number, column: string): JsonValue;
}

/** One open connection of a source, reading one stream. */
export interface SourceSession {
  /** The dialect's SQL, once `describe` has run (MySQL casts parameters to the column's type). */
  readonly dialect: KeysetDialect;
  /** The columns of `from` (a quoted table or a parenthesized query) and their DuckDB types, read without reading rows. */
  describe(from: string): Promise<readonly ColumnSpec[]>;
  /** Runs a chunk query of `from` (it returns the described columns). */
  query(query: ChunkQuery): Promise<RowChunk>;
  /** Streams a query through a server-side cursor, `chunkSize` rows at a time. */
  stream(sql: string, chunkSize: number): AsyncIterable<RowChunk>;
  close(): Promise<void>;
}

/**
 * Builds a `RowChunk` from raw rows (arrays in column order): `converters` give each column's
 * typed value, `text` its raw text form for positions.
 */
export function rowChunk<R>(
  columns: readonly ColumnSpec[],
  converters: readonly ((raw: R) => unknown)[],
  text: (raw: R, index: number) => JsonValue,
  rawRows: readonly (readonly (R | null)[])[],
): RowChunk {
  const rows = rawRows.map((raw) => {
    const row: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      const value = raw[i];
      row[c.name] = value === null || value === undefined ? null : (converters[i] as (raw: R) => unknown)(value);
    });
    return row;
  });
  const index = new Map(columns.map((c, i) => [c.name, i]));
  return {
    rows,
    raw(rowIndex, column) {
      const i = index.get(column);
      if (i === undefined) throw new Error(`no column ${column} in the result`);
      const value = rawRows[rowIndex]?.[i];
      return value === null || value === undefined ? null : text(value, i);
    },
  };
}
