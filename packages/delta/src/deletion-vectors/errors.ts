/**
 * A deletion vector cannot be located, read or decoded, or is corrupt (bad framing, checksum,
 * magic number or cardinality). Not retryable: the bytes will not change on a second attempt.
 */
export class DeletionVectorError extends Error {
  override readonly name = 'DeletionVectorError';
  readonly code = 'DELTA_DELETION_VECTOR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
