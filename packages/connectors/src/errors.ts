/** Error codes of the connectors package; a closed set. `retryable` tells callers whether trying again may help. */
export const ConnectorErrorCodes = {
  /** A source, destination or component configuration is invalid; the message names the field. */
  CONNECTOR_INVALID_CONFIG: { retryable: false },
  /** An HTTP request failed for good (after retries): the message names the stream, URL and status. */
  CONNECTOR_HTTP: { retryable: true },
  /** Authentication failed (bad key, token endpoint refused the credentials). */
  CONNECTOR_AUTH: { retryable: false },
  /** A response or file could not be understood as a whole (not JSON, records not where configured). */
  CONNECTOR_PARSE: { retryable: false },
  /** A source or destination database failed; retryable when the cause is transient. */
  CONNECTOR_DATABASE: { retryable: true },
  /** Reading or listing files (local folder or S3 prefix) failed. */
  CONNECTOR_FILES: { retryable: true },
  /** Writing a batch into the bronze table failed. */
  CONNECTOR_WRITE: { retryable: false },
  /** An export could not proceed (unmappable type, missing key column). */
  CONNECTOR_EXPORT: { retryable: false },
  /** The load was canceled. */
  CONNECTOR_CANCELED: { retryable: false },
} as const;

export type ConnectorErrorCode = keyof typeof ConnectorErrorCodes;

/** The one error type of the connectors package. The message always says what was wrong and where. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ConnectorErrorCode;
  readonly retryable: boolean;

  constructor(code: ConnectorErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? ConnectorErrorCodes[code].retryable;
  }
}

export function isConnectorError(e: unknown, code?: ConnectorErrorCode): e is ConnectorError {
  return e instanceof ConnectorError && (code === undefined || e.code === code);
}
