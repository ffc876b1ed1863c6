/** Error codes of the delta package; a closed set. `retryable` tells callers whether trying again may help. */
export const DeltaErrorCodes = {
  /** No `_delta_log` (or no commit in it) at the location. */
  DELTA_TABLE_NOT_FOUND: { retryable: false },
  /** Creating a table where one already exists. */
  DELTA_TABLE_EXISTS: { retryable: false },
  /** The log has a gap between versions, or does not start where a checkpoint or version 0 allows. */
  DELTA_VERSIONS_NOT_CONTIGUOUS: { retryable: false },
  /** A requested version or timestamp is outside the table's history. */
  DELTA_VERSION_NOT_FOUND: { retryable: false },
  /** The table needs a reader or writer feature this implementation does not support. */
  DELTA_UNSUPPORTED_FEATURE: { retryable: false },
  /** The protocol action is malformed or asks for versions no reader supports. */
  DELTA_INVALID_PROTOCOL: { retryable: false },
  /** Table state cannot be reconstructed (no protocol or metadata, corrupt checkpoint or commit). */
  DELTA_STATE_RECONSTRUCTION: { retryable: false },
  /** A concurrent commit conflicts with this transaction under Delta's conflict rules. */
  DELTA_CONCURRENT_MODIFICATION: { retryable: true },
  /** Data does not match the table schema, or a schema change is not allowed. */
  DELTA_SCHEMA_MISMATCH: { retryable: false },
  /** A write would violate a column invariant or CHECK constraint. */
  DELTA_INVARIANT_VIOLATION: { retryable: false },
  /** A write would remove data from an append-only table. */
  DELTA_APPEND_ONLY: { retryable: false },
  /** A caller passed an invalid argument (predicate, option, column name). */
  DELTA_INVALID_ARGUMENT: { retryable: false },
  /** A deletion vector cannot be read or is corrupt. */
  DELTA_DELETION_VECTOR: { retryable: false },
  /** The compute engine (DuckDB) failed. */
  DELTA_ENGINE: { retryable: false },
  /** The object store failed; retryable when the store says so. */
  DELTA_STORAGE: { retryable: true },
} as const;

export type DeltaErrorCode = keyof typeof DeltaErrorCodes;

/** The one error type of the delta package. The message always says what was wrong and where. */
export class DeltaError extends Error {
  override readonly name = 'DeltaError';
  readonly code: DeltaErrorCode;
  readonly retryable: boolean;

  constructor(code: DeltaErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? DeltaErrorCodes[code].retryable;
  }
}

export function isDeltaError(e: unknown, code?: DeltaErrorCode): e is DeltaError {
  return e instanceof DeltaError && (code === undefined || e.code === code);
}
