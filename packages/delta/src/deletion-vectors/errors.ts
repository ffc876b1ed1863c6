import { DeltaError } from '../errors.ts';

/**
 * A deletion vector cannot be located, read or decoded, or is corrupt (bad framing, checksum,
 * magic number or cardinality): DeltaError `DELTA_DELETION_VECTOR`, retryable only when the cause
 * is a retryable storage failure.
 */
export function deletionVectorError(message: string, options?: { cause?: unknown }): DeltaError {
  const cause = options?.cause as { retryable?: unknown } | undefined;
  return new DeltaError('DELTA_DELETION_VECTOR', message, { cause: options?.cause, retryable: cause?.retryable === true });
}

export function isDeletionVectorError(e: unknown): e is DeltaError {
  return e instanceof DeltaError && e.code === 'DELTA_DELETION_VECTOR';
}
