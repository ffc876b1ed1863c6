import { StorageError } from '../errors.ts';

// Throttling, timeouts and server-side faults: worth retrying later.
const TRANSIENT = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'InternalError',
  'ServiceUnavailable',
]);

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken']);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

/**
 * Maps an AWS SDK (or network) error to a StorageError naming the object's s3:// URI. `conditional`
 * marks a create-only write, where 412 (PreconditionFailed) and 409 (ConditionalRequestConflict, a
 * concurrent conditional write in flight) both mean another writer holds the key.
 */
export function fromS3Error(err: unknown, uri: string, action: string, conditional = false): StorageError {
  if (err instanceof StorageError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const name = e.Code ?? e.name ?? '';
  const detail = describe(e, err, status);
  const options = { cause: err };

  if (conditional && (status === 412 || status === 409 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict')) {
    return new StorageError('STORAGE_EXISTS', `an object already exists at ${uri}`, options);
  }
  if (name === 'NoSuchBucket') {
    return new StorageError('STORAGE_INVALID_LOCATION', `cannot ${action} ${uri}: the bucket does not exist`, options);
  }
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') {
    return new StorageError('STORAGE_NOT_FOUND', `no object at ${uri}`, options);
  }
  if (status === 401 || status === 403 || DENIED.has(name)) {
    return new StorageError('STORAGE_PERMISSION_DENIED', `permission denied to ${action} ${uri}: ${detail}`, options);
  }
  const transient =
    status === 429 ||
    (status !== undefined && status >= 500) ||
    TRANSIENT.has(name) ||
    (e.code !== undefined && NETWORK.has(e.code)) ||
    e.$retryable !== undefined;
  if (transient) return new StorageError('STORAGE_UNAVAILABLE', `cannot ${action} ${uri}: ${detail}`, options);
  return new StorageError('STORAGE_IO', `cannot ${action} ${uri}: ${detail}`, options);
}

function describe(e: SdkErrorShape, err: unknown, status: number | undefined): string {
  const text = e.message || e.code || e.name || String(err);
  return status !== undefined ? `${text} (HTTP ${status})` : text;
}
