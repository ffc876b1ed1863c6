import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import type { BatchData, JsonValue, RejectedRecord, Source, SourceContext } from '../source.ts';

/** One DuckDB engine for a test file, closed after its tests. */
export async function testEngine(): Promise<Engine> {
  const engine = await DuckDbEngine.create({ threads: 2 });
  after(() => engine.close());
  return engine;
}

/** A fresh folder holding `files` (path → text or bytes; `.gz` paths are gzip-compressed), removed after the tests. */
export function landing(files: Readonly<Record<string, string | Uint8Array>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Readonly<Record<string, string | Uint8Array>>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    writeFileSync(full, path.endsWith('.gz') ? gzipSync(bytes) : bytes);
  }
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
}

export function context(engine: Engine, existing?: string): SourceContext & { readonly logs: LogLine[] } {
  const logs: LogLine[] = [];
  return {
    engine,
    signal: new AbortController().signal,
    log: (level, message) => void logs.push({ level, message }),
    ...(existing === undefined ? {} : { existing }),
    logs,
  };
}

/** The file columns every row carries, as the batch's constant columns or as columns of its rows. */
const FILE_COLUMNS = ['_file_path', '_file_checksum', '_file_modified'];

/** A file a batch holds rows of. */
export interface BatchFile {
  readonly path: string;
  readonly checksum: string;
  readonly modified: string | null;
  readonly rows: number;
}

/** A batch as a test sees it: its rows read while the batch was current. */
export interface ReadBatch {
  readonly label?: string;
  readonly kind: BatchData['kind'];
  /** The rows, without their file columns. */
  readonly rows: Record<string, unknown>[];
  readonly rejected: readonly RejectedRecord[];
  /** The files of the rows by path (with their number of rows), or the file a batch names in its constant columns. */
  readonly files: readonly BatchFile[];
  readonly state?: JsonValue;
  /** Column names and DuckDB types of an `sql` batch, without the file columns. */
  readonly types: Readonly<Record<string, string>>;
}

/**
 * Reads every batch of the source's stream, querying each one before asking for the next (as the
 * loader does); rejected records collected after the read are collected then.
 */
export async function readAll(source: Source, ctx: SourceContext, state?: JsonValue): Promise<ReadBatch[]> {
  const [stream] = source.streams();
  const out: ReadBatch[] = [];
  for await (const batch of source.read(stream?.name ?? '', state, ctx)) {
    let rows: Record<string, unknown>[] = [];
    const types: Record<string, string> = {};
    if (batch.data.kind === 'sql') {
      rows = await ctx.engine.query(batch.data.sql);
      const info = await ctx.engine.describe(batch.data.sql);
      info.names.forEach((n, i) => FILE_COLUMNS.includes(n) || (types[n] = String(info.types[i])));
    } else if (batch.data.kind === 'records') {
      rows = batch.data.records.map((r) => ({ ...r }));
    }
    const files = new Map<string, BatchFile>();
    const fixed = batch.columns;
    if (fixed?._file_path !== undefined) {
      files.set(String(fixed._file_path), { path: String(fixed._file_path), checksum: String(fixed._file_checksum), modified: fixed._file_modified as string | null, rows: rows.length });
    }
    for (const r of rows) {
      if (r._file_path === undefined) continue;
      const path = String(r._file_path);
      const seen = files.get(path);
      files.set(path, { path, checksum: String(r._file_checksum), modified: r._file_modified as string | null, rows: (seen?.rows ?? 0) + 1 });
    }
    out.push({
      kind: batch.data.kind,
      rows: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !FILE_COLUMNS.includes(k)))),
      types,
      rejected: typeof batch.rejected === 'function' ? await batch.rejected() : (batch.rejected ?? []),
      files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      ...(batch.label === undefined ? {} : { label: batch.label }),
      ...(batch.state === undefined ? {} : { state: batch.state }),
    });
  }
  return out;
}

/** Names of the staging tables left in the session. */
export async function tempTables(engine: Engine): Promise<string[]> {
  const rows = await engine.query<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, '__strata_files_') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Rows sorted by a column, for order-independent comparisons (the engine does not keep file order). */
export function sortBy<T extends Record<string, unknown>>(rows: readonly T[], column: string): T[] {
  return [...rows].sort((a, b) => String(a[column]).localeCompare(String(b[column]), 'en', { numeric: true }));
}
