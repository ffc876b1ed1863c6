/** Error codes of the core package; a closed set. `retryable` tells callers whether trying again may help. */
export const CoreErrorCodes = {
  /** An asset, check or model definition is invalid (bad key, unknown layer, defined twice, bad SQL). */
  CORE_INVALID_DEFINITION: { retryable: false },
  /** An asset depends on an asset that is not defined. */
  CORE_MISSING_DEPENDENCY: { retryable: false },
  /** The asset graph has a dependency cycle; the message shows it. */
  CORE_CYCLE: { retryable: false },
  /** A dependency breaks the layer rules (e.g. bronze reading gold). */
  CORE_LAYER_RULE: { retryable: false },
  /** A selection is malformed or matches nothing. */
  CORE_SELECTION: { retryable: false },
  /** A partition key is malformed or outside the partitions definition. */
  CORE_INVALID_PARTITION: { retryable: false },
  /** User code (a compute function, a resource factory, a project file) threw; `userStack` holds its stack. */
  CORE_USER_CODE: { retryable: false },
  /** A data test (check) with severity error found failing rows; what depends on the tested asset is skipped. */
  CORE_CHECK_FAILED: { retryable: false },
  /** The run or step was canceled. */
  CORE_CANCELED: { retryable: false },
  /** A step attempt ran longer than its timeout. */
  CORE_TIMEOUT: { retryable: true },
  /** A run id that no run has (updating it, appending events to it, paging from it). */
  CORE_RUN_NOT_FOUND: { retryable: false },
  /** Creating a run with an id that is taken. */
  CORE_RUN_EXISTS: { retryable: false },
  /** A caller passed an invalid argument (a negative limit, an invalid date). */
  CORE_INVALID_ARGUMENT: { retryable: false },
  /** A configuration value or location is invalid; the message names it. */
  CORE_INVALID_CONFIG: { retryable: false },
  /** The run storage backend failed; retryable when the cause is transient (lost connection, busy database). */
  CORE_STORAGE: { retryable: false },
} as const;

export type CoreErrorCode = keyof typeof CoreErrorCodes;

/** The one error type of the core package. The message always says what was wrong and where. */
export class CoreError extends Error {
  override readonly name = 'CoreError';
  readonly code: CoreErrorCode;
  readonly retryable: boolean;
  /** For CORE_USER_CODE: the stack of what the user's code threw. */
  readonly userStack?: string;

  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean; userStack?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? CoreErrorCodes[code].retryable;
    if (options?.userStack !== undefined) this.userStack = options.userStack;
  }
}

export function isCoreError(e: unknown, code?: CoreErrorCode): e is CoreError {
  return e instanceof CoreError && (code === undefined || e.code === code);
}
