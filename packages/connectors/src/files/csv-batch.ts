import type { Engine } from '@strata/delta';
import type { BatchData, RejectedRecord, SourceBatch } from '../source.ts';
import type { FileEntry } from './client.ts';
import type { CsvFile, CsvReading } from './csv.ts';
import { csvRejected } from './csv.ts';
import { causeMessage, filesError } from './errors.ts';
import { rejectedLines } from './rejects.ts';
import type { RejectedLine } from './rejects.ts';
import { ident, literal } from './sql.ts';
import { NO_ROWS, TempTables } from './staged.ts';

/** At most this many files in one batch (one Delta commit). */
export const MAX_BATCH_FILES = 100;
/** At most this many bytes of files (as stored) in one batch, unless a single file is larger. */
export const MAX_BATCH_BYTES = 1 << 30;

/** The column naming each row's file while the files are read (`filename` option of `read_csv`). */
const FILE_COLUMN = '__strata_file';

/** Files of a batch read by one `read_csv`: the same reading, and compression. */
interface Group {
  readonly reading: CsvReading;
  readonly gzip: boolean;
  readonly files: CsvFile[];
}

/**
 * Consecutive CSV files loaded as one batch (one Delta commit). The files read the same way (same
 * dialect, columns and encoding, as each was sniffed on its own) are read by one `read_csv` over
 * all of them, which DuckDB reads in parallel; the reads of the batch are united by column name.
 * Each row carries its file's `_file_path`, `_file_checksum` and `_file_modified`. DuckDB records
 * the rejected lines as it reads, in rejects tables of the engine's session: the batch's rejected
 * records are collected once the writer read its rows. The batch owns its files: `release`
 * releases them and drops the tables.
 */
export class CsvBatch {
  private readonly files: CsvFile[] = [];
  private readonly tables: TempTables;
  private bytes = 0;

  constructor(private readonly engine: Engine) {
    this.tables = new TempTables(engine);
  }

  /** Whether a file of this size may join without passing the batch's limits. */
  fits(entry: FileEntry): boolean {
    return this.files.length === 0 || (this.files.length < MAX_BATCH_FILES && this.bytes + entry.size <= MAX_BATCH_BYTES);
  }

  add(file: CsvFile): void {
    this.files.push(file);
    this.bytes += file.file.entry.size;
  }

  /** The files of the batch in order, each with its checksum and whether it gives rows. */
  contents(): { readonly path: string; readonly checksum: string; readonly hasRows: boolean }[] {
    return this.files.map((f) => ({ path: f.file.entry.path, checksum: f.file.checksum, hasRows: f.reading !== undefined }));
  }

  /**
   * The batch's data and rejected records. With rows, the rejected records are collected after the
   * writer read them (see `SourceBatch.rejected`); without, they are all known already.
   */
  batch(): { data: BatchData; rejected: NonNullable<SourceBatch['rejected']>; label: string } {
    const first = this.files[0]?.file.entry.path ?? '';
    const label = this.files.length === 1 ? first : `${first} … ${this.files.at(-1)?.file.entry.path} (${this.files.length} files)`;
    const groups = this.groups();
    const inOrder = (byPath: ReadonlyMap<string, readonly RejectedRecord[]>) => this.files.flatMap((f) => byPath.get(f.file.entry.path) ?? []);
    const known = new Map(this.files.map((f) => [f.file.entry.path, f.rejected]));
    if (groups.length === 0) return { data: NO_ROWS, rejected: inOrder(known), label };
    const reads = groups.map((g) => this.read(g));
    const sql = reads.map((r) => `(${r.sql})`).join('\nUNION ALL BY NAME\n');
    const rejected = async (): Promise<RejectedRecord[]> => {
      const byPath = new Map(known);
      for (const r of reads) for (const [path, records] of await r.rejected()) byPath.set(path, records);
      return inOrder(byPath);
    };
    return { data: { kind: 'sql', sql }, rejected, label };
  }

  /** Drops the rejects tables and releases the files. */
  async release(): Promise<void> {
    await this.tables.dropAll();
    for (const f of this.files.splice(0)) await f.file.release();
  }

  /** The files that give rows, by reading (options and compression), in order of their first file. */
  private groups(): Group[] {
    const groups = new Map<string, Group>();
    for (const f of this.files) {
      if (f.reading === undefined) continue;
      const key = JSON.stringify([f.reading.options, f.file.gzip]);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { reading: f.reading, gzip: f.file.gzip, files: [] }));
      group.files.push(f);
    }
    return [...groups.values()];
  }

  /** One `read_csv` of a group's files, each row with its file's columns, and the lines it rejected. */
  private read(group: Group): { sql: string; rejected: () => Promise<Map<string, RejectedRecord[]>> } {
    const errors = this.tables.create('csv_errors');
    const scans = this.tables.create('csv_scans');
    const options = [
      ...group.reading.options,
      `filename = ${literal(FILE_COLUMN)}`,
      'store_rejects = true',
      `rejects_table = ${literal(errors.name)}`,
      `rejects_scan = ${literal(scans.name)}`,
    ];
    const locals = group.files.map((f) => literal(f.file.localPath)).join(', ');
    const files = group.files
      .map(({ file }) => `(${[file.localPath, file.entry.path, file.checksum].map(literal).join(', ')}, ${file.entry.modified === null ? 'NULL' : literal(file.entry.modified)})`)
      .join(', ');
    const column = ident(FILE_COLUMN);
    // Every row names one of the files; were one not found, failing beats writing rows without their file.
    const sql = `SELECT r.* EXCLUDE (${column}),
        coalesce(f._file_path, error('no file columns for ' || r.${column})) AS _file_path,
        f._file_checksum, CAST(f._file_modified AS VARCHAR) AS _file_modified
      FROM read_csv([${locals}], ${options.join(', ')}) AS r
      LEFT JOIN (VALUES ${files}) AS f(local_path, _file_path, _file_checksum, _file_modified) ON r.${column} = f.local_path`;
    const paths = new Map(group.files.map((f) => [f.file.localPath, f.file.entry.path]));
    /** The group's rejected records by file path, each in line order. */
    const rejected = async (): Promise<Map<string, RejectedRecord[]>> => {
      let lines: RejectedLine[];
      try {
        lines = await rejectedLines(this.engine, errors.ref, scans.ref);
      } catch (e) {
        const names = group.files.map((f) => f.file.entry.path).join(', ');
        throw filesError(`cannot collect the lines rejected while reading ${names}: ${causeMessage(e)}`, e, false);
      }
      const byPath = new Map<string, RejectedRecord[]>();
      for (const l of lines) {
        const path = paths.get(l.file) ?? l.file;
        let records = byPath.get(path);
        if (!records) byPath.set(path, (records = []));
        records.push(csvRejected(l, path, group.reading.encoding));
      }
      return byPath;
    };
    return { sql, rejected };
  }
}
