import type { DeltaError } from '../errors.ts';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LocalObjectStore } from '@strata/storage';
import type { DeletionVectorDescriptor } from './descriptor.ts';
import { isDeletionVectorError } from './errors.ts';
import { readDeletionVector } from './read.ts';
import { bitmap32, bitmapArray, dvFile } from './test-support.ts';
import { z85Encode } from './z85.ts';

/** Row indexes 3, 4, 7, 11, 18, 29 (the protocol's inline example) as a portable bitmap: 44 bytes. */
const SIX_ROWS = bitmapArray([
  { key: 0, bitmap: bitmap32([{ key: 0, kind: 'array', values: [3, 4, 7, 11, 18, 29] }]) },
]);
/** Row index 2^32 + 5 alone: 34 bytes, so inline it needs two bytes of padding. */
const ONE_HIGH_ROW = bitmapArray([{ key: 1, bitmap: bitmap32([{ key: 0, kind: 'array', values: [5] }]) }]);

function padTo4(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  out.set(bytes);
  return out;
}

function inline(bitmap: Uint8Array, cardinality: number): DeletionVectorDescriptor {
  return { storageType: 'i', pathOrInlineDv: z85Encode(padTo4(bitmap)), sizeInBytes: bitmap.length, cardinality };
}

function uuidBytes(uuid: string): Uint8Array {
  return Uint8Array.from(Buffer.from(uuid.replaceAll('-', ''), 'hex'));
}

async function rejects(promise: Promise<unknown>, message: RegExp): Promise<DeltaError> {
  let caught: unknown;
  await assert.rejects(promise, (e: unknown) => {
    caught = e;
    return isDeletionVectorError(e) && e.code === 'DELTA_DELETION_VECTOR' && message.test(e.message);
  });
  return caught as DeltaError;
}

describe('readDeletionVector', () => {
  let dir: string;
  let store: LocalObjectStore;
  const uuid = randomUUID();
  const fileName = `deletion_vector_${uuid}.bin`;
  const file = dvFile([SIX_ROWS, ONE_HIGH_ROW]);
  const [first, second] = file.offsets as [number, number];
  const relative = (overrides: Partial<DeletionVectorDescriptor> = {}): DeletionVectorDescriptor => ({
    storageType: 'u',
    pathOrInlineDv: z85Encode(uuidBytes(uuid)),
    offset: first,
    sizeInBytes: SIX_ROWS.length,
    cardinality: 6,
    ...overrides,
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-dv-'));
    store = new LocalObjectStore({ directory: dir });
    await writeFile(join(dir, fileName), file.bytes);
    await mkdir(join(dir, 'q7'));
    await writeFile(join(dir, 'q7', fileName), file.bytes);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('inline', () => {
    it('decodes an aligned and a padded bitmap', async () => {
      assert.deepEqual(Array.from(await readDeletionVector(store, inline(SIX_ROWS, 6))), [3, 4, 7, 11, 18, 29]);
      assert.equal(ONE_HIGH_ROW.length % 4, 2);
      assert.deepEqual(Array.from(await readDeletionVector(store, inline(ONE_HIGH_ROW, 1))), [2 ** 32 + 5]);
    });

    it('rejects a sizeInBytes that does not fit the decoded bytes', async () => {
      const d = inline(ONE_HIGH_ROW, 1);
      await rejects(readDeletionVector(store, { ...d, sizeInBytes: 37 }), /decodes to 36 bytes, sizeInBytes is 37/);
      await rejects(readDeletionVector(store, { ...d, sizeInBytes: 32 }), /decodes to 36 bytes, sizeInBytes is 32/);
      await rejects(
        readDeletionVector(store, { ...d, sizeInBytes: 35 }),
        /^inline deletion vector ".*": roaring bitmap array has 1 trailing bytes$/,
      );
    });

    it('rejects text that is not Z85', async () => {
      await rejects(
        readDeletionVector(store, { storageType: 'i', pathOrInlineDv: 'abcd~', sizeInBytes: 4, cardinality: 1 }),
        /^inline deletion vector "abcd~": Z85 decode: invalid character "~" at 4/,
      );
    });

    it('rejects the protocol text\'s inline example, which predates the portable format', async () => {
      // Its bytes start with the "native" magic written big-endian, which Delta readers no longer accept.
      const pathOrInlineDv = 'wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L';
      await rejects(
        readDeletionVector(store, { storageType: 'i', pathOrInlineDv, sizeInBytes: 40, cardinality: 6 }),
        /magic number 3503503716, expected 1681511377/,
      );
    });

    it('checks the cardinality and maxRowIndex', async () => {
      await rejects(readDeletionVector(store, inline(SIX_ROWS, 5)), /holds 6 row indexes, the log says 5/);
      await rejects(
        readDeletionVector(store, { ...inline(SIX_ROWS, 6), maxRowIndex: 28 }),
        /row index 29 exceeds maxRowIndex 28/,
      );
      assert.equal((await readDeletionVector(store, { ...inline(SIX_ROWS, 6), maxRowIndex: 29 })).length, 6);
    });
  });

  describe('relative path (u)', () => {
    it('reads each DV of a file by offset, with and without a random prefix', async () => {
      assert.deepEqual(Array.from(await readDeletionVector(store, relative())), [3, 4, 7, 11, 18, 29]);
      const secondDv = relative({ offset: second, sizeInBytes: ONE_HIGH_ROW.length, cardinality: 1 });
      assert.deepEqual(Array.from(await readDeletionVector(store, secondDv)), [2 ** 32 + 5]);
      const prefixed = relative({ pathOrInlineDv: `q7${z85Encode(uuidBytes(uuid))}` });
      assert.deepEqual(Array.from(await readDeletionVector(store, prefixed)), [3, 4, 7, 11, 18, 29]);
    });

    it('reads the first DV when the offset is absent', async () => {
      const { offset: _omitted, ...noOffset } = relative();
      assert.equal((await readDeletionVector(store, noOffset)).length, 6);
    });

    it('checks the stored size, the offset and the checksum', async () => {
      await rejects(
        readDeletionVector(store, relative({ sizeInBytes: 40 })),
        /the file says the DV has 44 bytes, the log says 40/,
      );
      await rejects(
        readDeletionVector(store, relative({ offset: file.bytes.length - 2 })),
        /offset is outside the \d+-byte file/,
      );
      await rejects(readDeletionVector(store, relative({ offset: 0 })), /the file says the DV has 16777216 bytes/);

      const corrupt = file.bytes.slice();
      corrupt[first + 4 + 20] = (corrupt[first + 4 + 20] ?? 0) ^ 1;
      await store.put(fileName, corrupt);
      const e = await rejects(readDeletionVector(store, relative()), /CRC-32 mismatch \(stored \d+, computed \d+\)/);
      assert.match(e.message, new RegExp(`^deletion vector in ${fileName} at offset 1: `));

      await store.put(fileName, file.bytes.subarray(0, second + 10));
      await rejects(
        readDeletionVector(store, relative({ offset: second, sizeInBytes: ONE_HIGH_ROW.length, cardinality: 1 })),
        /34 bytes and checksum run past the \d+-byte file/,
      );

      await store.put(fileName, Uint8Array.from([2, ...file.bytes.subarray(1)]));
      await rejects(readDeletionVector(store, relative()), /unsupported DV file format version 2/);

      await store.put(fileName, new Uint8Array(0));
      await rejects(readDeletionVector(store, relative()), /the file is empty/);
      await store.put(fileName, file.bytes);
    });

    it('reports a missing file with the store error as cause', async () => {
      const missing = relative({ pathOrInlineDv: z85Encode(uuidBytes(randomUUID())) });
      const e = await rejects(readDeletionVector(store, missing), /cannot read the file/);
      assert.ok(e.cause instanceof Error);
    });
  });

  describe('absolute path (p)', () => {
    const absolute = (path: string): DeletionVectorDescriptor => ({
      ...relative(),
      storageType: 'p',
      pathOrInlineDv: path,
    });

    it('reads file: URIs and absolute local paths', async () => {
      const path = join(dir, fileName);
      for (const p of [path, pathToFileURL(path).href, `file:${path}`]) {
        assert.deepEqual(Array.from(await readDeletionVector(store, absolute(p))), [3, 4, 7, 11, 18, 29], p);
      }
    });

    it('rejects other schemes and relative paths', async () => {
      await rejects(
        readDeletionVector(store, absolute(`s3://bucket/${fileName}`)),
        /cannot read 's3:' deletion vector paths/,
      );
      await rejects(readDeletionVector(store, absolute(fileName)), /needs an absolute path or URI/);
      await rejects(readDeletionVector(store, absolute(join(dir, 'nope.bin'))), /cannot read the file: .*ENOENT/);
    });
  });
});
