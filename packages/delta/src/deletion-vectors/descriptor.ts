import { deletionVectorError } from './errors.ts';
import { z85Decode } from './z85.ts';

/**
 * The `deletionVector` field of `add` and `remove` actions (protocol: Deletion Vector Descriptor).
 * - `u`: `pathOrInlineDv` is an optional random prefix followed by a 20-character Z85 UUID; the file
 *   is `<prefix>/deletion_vector_<uuid>.bin` relative to the table root.
 * - `i`: `pathOrInlineDv` is the Z85-encoded serialized bitmap itself.
 * - `p`: `pathOrInlineDv` is an absolute path (URI) of the DV file.
 */
export interface DeletionVectorDescriptor {
  readonly storageType: 'u' | 'i' | 'p';
  readonly pathOrInlineDv: string;
  /** Byte position of this DV in its file; absent for inline DVs. */
  readonly offset?: number;
  /** Size of the serialized bitmap (magic number included), before any Z85 encoding. */
  readonly sizeInBytes: number;
  /** Number of rows the DV deletes. */
  readonly cardinality: number;
  /** Largest deleted row index, when a writer records it (checkpoints may carry it). */
  readonly maxRowIndex?: number;
}

const ENCODED_UUID_LENGTH = 20;

/**
 * Identifies a DV for log replay: `<storageType><pathOrInlineDv>`, followed by `@<offset>` when
 * an offset is present. A file path together with this id is the key of a logical file.
 */
export function deletionVectorUniqueId(d: DeletionVectorDescriptor): string {
  const id = `${d.storageType}${d.pathOrInlineDv}`;
  return d.offset != null ? `${id}@${d.offset}` : id;
}

/**
 * Where the DV is stored: for `u`, the path relative to the table root; for `p`, the absolute path
 * or URI as written in the log; for `i` (inline), undefined. Fails with DeltaError DELTA_DELETION_VECTOR when a
 * `u` path does not end in a valid Z85-encoded UUID.
 */
export function deletionVectorFilePath(d: DeletionVectorDescriptor): string | undefined {
  switch (d.storageType) {
    case 'i':
      return undefined;
    case 'p':
      return d.pathOrInlineDv;
    case 'u': {
      const encoded = d.pathOrInlineDv;
      if (encoded.length < ENCODED_UUID_LENGTH) {
        throw deletionVectorError(
          `deletion vector path ${JSON.stringify(encoded)} is shorter than a ${ENCODED_UUID_LENGTH}-character Z85 UUID`,
        );
      }
      const prefix = encoded.slice(0, encoded.length - ENCODED_UUID_LENGTH);
      const uuid = formatUuid(decodeUuid(encoded.slice(encoded.length - ENCODED_UUID_LENGTH)));
      const file = `deletion_vector_${uuid}.bin`;
      return prefix.length > 0 ? `${prefix}/${file}` : file;
    }
    default:
      throw deletionVectorError(`unknown deletion vector storage type ${JSON.stringify(d.storageType)}`);
  }
}

function decodeUuid(encoded: string): Uint8Array {
  try {
    return z85Decode(encoded);
  } catch (e) {
    throw deletionVectorError(`deletion vector id ${JSON.stringify(encoded)} is not a Z85-encoded UUID`, {
      cause: e,
    });
  }
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
