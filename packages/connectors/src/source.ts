import type { Engine } from '@strata/delta';

/** A JSON value: what a stream's state may hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A column with an explicit DuckDB type (`BIGINT`, `VARCHAR`, `DECIMAL(12,2)`, `TIMESTAMPTZ`, …). */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
}

/**
 * The data of one batch, in one of three shapes:
 * - `records`: JSON objects exactly as received (an API's records); column types are inferred, and a
 *   field whose type changed is kept raw, never cast away;
 * - `typed`: rows with declared column types (a database's rows); values are JSON-compatible
 *   (numbers, strings, booleans, null; dates and big numbers as strings);
 * - `sql`: a relation the engine session can read (a staged file or the file itself), valid while
 *   the batch is current. It may be read more than once (described, checked, written); it is read
 *   with all its columns when written, and a relation over a CSV file may give more rows when only
 *   some of its columns are read, as values of the others are not converted and cannot be rejected.
 */
export type BatchData =
  | { readonly kind: 'records'; readonly records: readonly Readonly<Record<string, unknown>>[] }
  | { readonly kind: 'typed'; readonly columns: readonly ColumnSpec[]; readonly rows: readonly Readonly<Record<string, unknown>>[] }
  | { readonly kind: 'sql'; readonly sql: string };

/** A record the source could not take (unparsable JSON, a CSV line with the wrong number of fields…). */
export interface RejectedRecord {
  /** The raw text as received. */
  readonly raw: string;
  /** Why it was rejected, in words a data steward understands. */
  readonly reason: string;
  /** Where: `file.csv:12`, `GET /bookings?page=3 #7`. */
  readonly location?: string;
}

/** One batch read from a stream: written as one Delta commit together with `state`. */
export interface SourceBatch {
  readonly data: BatchData;
  /**
   * The records the source could not take, written to the quarantine table before the data is
   * committed. Either listed up front, or a function for records found only while the data is read
   * (a CSV reader finds its bad lines as the writer reads the file): the loader calls it once, after
   * it has read `data` in full (at once when `data` is not `sql`) and before the data commit, while
   * the batch is current (before the iterator is resumed). It returns each rejected record once,
   * however often `data` was read.
   */
  readonly rejected?: readonly RejectedRecord[] | (() => Promise<readonly RejectedRecord[]>);
  /**
   * The stream's state after this batch (cursor, watermark, page): committed in the same Delta
   * commit as the data and handed back to `read` on the next run. Omit to keep the previous state.
   */
  readonly state?: JsonValue;
  /** Constant columns added to every row of the batch (e.g. `_file_path`, `_file_checksum`). */
  readonly columns?: Readonly<Record<string, string | number | null>>;
  /** A short label for logs and the load report (`page 3`, `parks/2024.csv`). */
  readonly label?: string;
}

/** What a source may use while reading. */
export interface SourceContext {
  /** The DuckDB session of the load (files are read through it). */
  readonly engine: Engine;
  readonly signal: AbortSignal;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
  /**
   * SQL selecting the rows already in the stream's bronze table, or undefined when the table does
   * not exist yet (a file source asks it which files, by checksum, were loaded already).
   */
  readonly existing?: string;
}

/** One stream of a source: it lands in one bronze table. */
export interface SourceStream {
  readonly name: string;
  readonly description?: string;
  readonly primaryKey?: readonly string[];
}

/**
 * What a connector provides to ingest into bronze. `read` yields batches in order; the loader
 * commits each batch with its state, so a crash or retry resumes after the last committed batch
 * and never loses or duplicates one. A source does no writing of its own.
 */
export interface Source {
  /** Recorded in `_source` (e.g. `rest_api:parks_api`, `files:s3://bucket/drop/`). */
  readonly name: string;
  streams(): readonly SourceStream[];
  /** Reads `stream` from `state` (undefined on the first run: the initial extraction). */
  read(stream: string, state: JsonValue | undefined, ctx: SourceContext): AsyncIterable<SourceBatch>;
  /** Releases connections. */
  close?(): Promise<void>;
}
