import { CoreError } from '../../errors.ts';

/** Configuration of the SQLite run storage (the embedded default). */
export interface SqliteRunStorageConfig {
  /** Database file, created with its directory when missing; `:memory:` for a private in-memory database. */
  readonly path: string;
  /** How long a write waits for another connection's write lock before failing retryably; default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** The configuration with defaults applied; fails with CORE_INVALID_CONFIG for an empty path or a bad timeout. */
export function resolveConfig(config: SqliteRunStorageConfig): Required<SqliteRunStorageConfig> {
  if (config.path.trim() === '') throw new CoreError('CORE_INVALID_CONFIG', 'SQLite run storage needs a database path (or :memory:)');
  const busyTimeoutMs = config.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!(Number.isSafeInteger(busyTimeoutMs) && busyTimeoutMs >= 0)) {
    throw new CoreError('CORE_INVALID_CONFIG', `SQLite busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  return { path: config.path, busyTimeoutMs };
}
