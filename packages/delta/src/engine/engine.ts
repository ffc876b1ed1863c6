import type { DuckDBType } from '@duckdb/node-api';

/** Per-column statistics of one written Parquet file, keyed by the dotted column path as DuckDB reports it. */
export interface ParquetColumnStats {
  readonly min?: string;
  readonly max?: string;
  readonly nullCount?: number;
}

/** One Parquet file written by the engine. */
export interface WrittenParquetFile {
  /** Absolute local path of the file. */
  readonly path: string;
  readonly rowCount: number;
  readonly sizeInBytes: number;
  /** Partition column → value as the engine renders it (null for SQL NULL). */
  readonly partitionValues: Readonly<Record<string, string | null>>;
  /** Column path → statistics; nested path segments are joined with U+0000 (`s\u0000x`). */
  readonly columnStats: ReadonlyMap<string, ParquetColumnStats>;
}

export interface WriteParquetOptions {
  readonly partitionBy?: readonly string[];
  /** Roll over to a new file past about this many bytes (DuckDB FILE_SIZE_BYTES); unpartitioned writes only. */
  readonly targetFileSize?: number;
  /**
   * Write one file per DuckDB thread (fastest) rather than one stream of files rolled over by
   * `targetFileSize` (fewest files, for compaction). Default true; ignored for partitioned writes.
   */
  readonly perThread?: boolean;
  /** File name stem; `{uuid}` is replaced by a fresh UUID for each file. */
  readonly filePattern?: string;
}

export interface ColumnInfo {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
}

/**
 * The compute-engine seam: one DuckDB session. Calls are serialized; each is one statement.
 * Results are small (metadata, counts, samples); table data never crosses into JavaScript except
 * through `writeParquet` and explicit queries.
 */
export interface Engine {
  /** A directory for staging files written before they are uploaded to a remote store. */
  readonly tempDir: string;
  exec(sql: string): Promise<void>;
  /** Runs a query and returns its rows as plain values (bigints that fit become numbers). */
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** The names and DuckDB types of a query's result columns, without running it. */
  describe(sql: string): Promise<ColumnInfo>;
  /**
   * A new session on the same database: it sees the same attached catalogs, views and temporary
   * folder, but has its own current catalog (`USE`) and runs its statements in parallel with this
   * one. Closing it closes only the session.
   */
  fork(): Promise<Engine>;
  /** Writes a query's result to Parquet files under a local directory and returns what was written. */
  writeParquet(sql: string, directory: string, options?: WriteParquetOptions): Promise<WrittenParquetFile[]>;
  close(): Promise<void>;
}
