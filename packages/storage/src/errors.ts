/** Error codes of the storage package; closed set. */
export const StorageErrorCodes = {
  /** putIfAbsent found an object already at the key. */
  STORAGE_EXISTS: { retryable: false },
  /** get/head on a key that has no object. */
  STORAGE_NOT_FOUND: { retryable: false },
  /** The location URI or configuration is invalid. */
  STORAGE_INVALID_LOCATION: { retryable: false },
  /** Permission denied by the backend. */
  STORAGE_PERMISSION_DENIED: { retryable: false },
  /** A transient backend failure (network, 5xx, throttling). */
  STORAGE_UNAVAILABLE: { retryable: true },
  /** Any other backend failure. */
  STORAGE_IO: { retryable: false },
} as const;

export type StorageErrorCode = keyof typeof StorageErrorCodes;

/** The one error type of the storage package. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly retryable: boolean;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retryable = StorageErrorCodes[code].retryable;
  }
}

export function isStorageError(e: unknown, code?: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && (code === undefined || e.code === code);
}
