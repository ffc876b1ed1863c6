import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from '@strata/storage';
import { crc32 } from './crc32.ts';
import type { DeletionVectorDescriptor } from './descriptor.ts';
import { deletionVectorFilePath } from './descriptor.ts';
import { deletionVectorError, isDeletionVectorError } from './errors.ts';
import { decodeRoaringBitmapArray } from './roaring.ts';
import { z85Decode } from './z85.ts';

/** The only DV file format version (first byte of every DV file). */
const FILE_FORMAT_VERSION = 1;
/**
 * Where a DV starts when a file-backed descriptor has no offset. The protocol says "interpret as
 * 0", but byte 0 is the format version, so the first (and only possible default) DV starts at 1;
 * delta-kernel-rs reads it the same way.
 */
const DEFAULT_OFFSET = 1;

/**
 * Reads the row indexes a deletion vector deletes, ascending. `store` is rooted at the table root:
 * `u` DVs are read through it; `p` DVs must be `file:` URIs or absolute local paths (read from the
 * local disk); `i` DVs are decoded from the descriptor.
 *
 * Verifies the file format version, the stored size against `sizeInBytes`, the CRC-32 of the
 * bitmap, the magic number, and that the decoded cardinality equals `cardinality` (and, when
 * given, that no index exceeds `maxRowIndex`). Every failure is a DeltaError DELTA_DELETION_VECTOR whose
 * message names the DV.
 */
export async function readDeletionVector(store: ObjectStore, d: DeletionVectorDescriptor): Promise<Float64Array> {
  const path = deletionVectorFilePath(d);
  const where =
    path === undefined
      ? `inline deletion vector ${JSON.stringify(d.pathOrInlineDv)}`
      : `deletion vector in ${path} at offset ${d.offset ?? DEFAULT_OFFSET}`;
  const bitmap =
    path === undefined ? inlineBitmap(d, where) : fileBitmap(await readDvFile(store, d, path, where), d, where);

  let rows: Float64Array;
  try {
    rows = decodeRoaringBitmapArray(bitmap);
  } catch (e) {
    if (!isDeletionVectorError(e)) throw e;
    throw deletionVectorError(`${where}: ${e.message}`, { cause: e });
  }
  if (rows.length !== d.cardinality) {
    throw deletionVectorError(`${where}: holds ${rows.length} row indexes, the log says ${d.cardinality}`);
  }
  const max = rows[rows.length - 1];
  if (d.maxRowIndex != null && max !== undefined && max > d.maxRowIndex) {
    throw deletionVectorError(`${where}: row index ${max} exceeds maxRowIndex ${d.maxRowIndex}`);
  }
  return rows;
}

function inlineBitmap(d: DeletionVectorDescriptor, where: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = z85Decode(d.pathOrInlineDv);
  } catch (e) {
    throw deletionVectorError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  // Writers pad the bitmap with zero bytes to a multiple of 4 before Z85-encoding it.
  if (d.sizeInBytes > bytes.length || bytes.length - d.sizeInBytes >= 4) {
    throw deletionVectorError(`${where}: decodes to ${bytes.length} bytes, sizeInBytes is ${d.sizeInBytes}`);
  }
  return bytes.subarray(0, d.sizeInBytes);
}

async function readDvFile(
  store: ObjectStore,
  d: DeletionVectorDescriptor,
  path: string,
  where: string,
): Promise<Uint8Array> {
  try {
    if (d.storageType === 'u') return await store.get(path);
    return new Uint8Array(await readFile(localPath(path, where)));
  } catch (e) {
    if (isDeletionVectorError(e)) throw e;
    throw deletionVectorError(`${where}: cannot read the file: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

/** The local path of an absolute `p` DV path: a `file:` URI or an absolute local path. */
function localPath(path: string, where: string): string {
  if (path.startsWith('/')) return path;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(path)?.[1];
  if (scheme?.toLowerCase() === 'file') return fileURLToPath(new URL(path));
  throw deletionVectorError(
    scheme === undefined
      ? `${where}: an absolute-path ('p') deletion vector needs an absolute path or URI`
      : `${where}: cannot read '${scheme}:' deletion vector paths, only file: URIs and local paths`,
  );
}

/**
 * Extracts one DV's bitmap from a DV file: version byte, then per DV a big-endian u32 size, the
 * bitmap bytes and a big-endian CRC-32 of those bytes.
 */
function fileBitmap(file: Uint8Array, d: DeletionVectorDescriptor, where: string): Uint8Array {
  if (file.length === 0) throw deletionVectorError(`${where}: the file is empty`);
  if (file[0] !== FILE_FORMAT_VERSION) {
    throw deletionVectorError(`${where}: unsupported DV file format version ${file[0]}`);
  }
  const offset = d.offset ?? DEFAULT_OFFSET;
  if (!Number.isInteger(offset) || offset < 0 || offset + 4 > file.length) {
    throw deletionVectorError(`${where}: offset is outside the ${file.length}-byte file`);
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const size = view.getUint32(offset, false);
  if (size !== d.sizeInBytes) {
    throw deletionVectorError(`${where}: the file says the DV has ${size} bytes, the log says ${d.sizeInBytes}`);
  }
  const end = offset + 4 + size;
  if (end + 4 > file.length) {
    throw deletionVectorError(`${where}: ${size} bytes and checksum run past the ${file.length}-byte file`);
  }
  const bitmap = file.subarray(offset + 4, end);
  const stored = view.getUint32(end, false);
  const actual = crc32(bitmap);
  if (stored !== actual) {
    throw deletionVectorError(`${where}: CRC-32 mismatch (stored ${stored}, computed ${actual})`);
  }
  return bitmap;
}
