/** Error codes of the quality package; a closed set. `retryable` tells callers whether trying again may help. */
export const QualityErrorCodes = {
  /** A check, monitor or contract definition is invalid; the message names it and what was expected. */
  QUALITY_INVALID_DEFINITION: { retryable: false },
  /** A check's SQL failed in the engine (a column that does not exist, a bad expression). */
  QUALITY_CHECK_ERROR: { retryable: false },
  /** A write violates the asset's contract; nothing was committed. */
  QUALITY_CONTRACT_VIOLATION: { retryable: false },
  /** A contract file cannot be read or parsed. */
  QUALITY_INVALID_CONTRACT: { retryable: false },
} as const;

export type QualityErrorCode = keyof typeof QualityErrorCodes;

/** The one error type of the quality package. The message always says what was wrong and where. */
export class QualityError extends Error {
  override readonly name = 'QualityError';
  readonly code: QualityErrorCode;
  readonly retryable: boolean;

  constructor(code: QualityErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? QualityErrorCodes[code].retryable;
  }
}

export function isQualityError(e: unknown, code?: QualityErrorCode): e is QualityError {
  return e instanceof QualityError && (code === undefined || e.code === code);
}
