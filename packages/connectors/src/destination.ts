import type { Engine } from '@strata/delta';

/** What an export reads. */
export interface ExportInput {
  /** The DuckDB session that can read the relation. */
  readonly engine: Engine;
  /** The relation to export: a query of the session (`SELECT * FROM gold.kpis`). */
  readonly sql: string;
  readonly signal: AbortSignal;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
}

/** Where and how an export writes. */
export interface ExportOptions {
  /** The target table: `schema.table`, or `table` in the connection's default schema or database. */
  readonly table: string;
  /**
   * `replace`: the table's rows become the relation's, swapped in atomically (readers see the
   * old rows or the new ones, never a part); `upsert`: rows whose `keys` match are updated,
   * the others inserted, in one transaction.
   */
  readonly mode: 'replace' | 'upsert';
  /**
   * Columns identifying a row. Required by `upsert` (the table must have a unique index on
   * exactly them); when the export creates the table, it creates that unique index.
   */
  readonly keys?: readonly string[];
  /** At most this many bytes of row data per second on average, so a small database is not flooded. */
  readonly maxBytesPerSecond?: number;
  /** Rows read from the relation and sent per batch. */
  readonly batchRows?: number;
}

export interface ExportResult {
  /** Rows of the relation written (in `replace`, verified by counting the table). */
  readonly rowsWritten: number;
  /** Bytes of row data sent (the parameters' text). */
  readonly bytesSent: number;
  /** Whether the table did not exist and was created. */
  readonly created: boolean;
  /** Columns added to the existing table because the relation has them. */
  readonly migrated: readonly string[];
}

/**
 * What a connector provides to export a relation into an external system (reverse ETL). An
 * export reads the relation in batches (never all of it in memory), maps its column types
 * explicitly (an unmappable type is a CONNECTOR_EXPORT error naming the column), creates the
 * table when it is missing and adds the relation's new columns to it, but never changes the type
 * of an existing column (CONNECTOR_EXPORT). A failed or canceled export leaves the table as it
 * was in `replace` mode and leaves no staging table behind.
 */
export interface Destination {
  /** Names the destination in logs (`postgres:crm`). */
  readonly name: string;
  export(input: ExportInput, options: ExportOptions): Promise<ExportResult>;
  /** Releases connections. */
  close?(): Promise<void>;
}
