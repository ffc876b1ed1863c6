import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeletionVectorError } from './errors.ts';
import { decodeRoaringBitmapArray } from './roaring.ts';
import type { TestContainer } from './test-support.ts';
import { bitmap32, bitmapArray } from './test-support.ts';

const TWO_32 = 2 ** 32;

function decode(buckets: { key: number; containers: TestContainer[]; runCookie?: boolean }[]): number[] {
  const bytes = bitmapArray(buckets.map((b) => ({ key: b.key, bitmap: bitmap32(b.containers, b.runCookie) })));
  return Array.from(decodeRoaringBitmapArray(bytes));
}

function range(from: number, to: number, step = 1): number[] {
  const out: number[] = [];
  for (let v = from; v < to; v += step) out.push(v);
  return out;
}

/** Deterministic pseudo-random ascending subset of [0, 65536). */
function randomLows(seed: number, density: number): number[] {
  let s = seed;
  return range(0, 65536).filter(() => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / TWO_32 < density;
  });
}

describe('decodeRoaringBitmapArray', () => {
  it('decodes an empty array and an empty bucket', () => {
    assert.deepEqual(decode([]), []);
    assert.deepEqual(decode([{ key: 0, containers: [] }]), []);
  });

  it('decodes an array container without the run cookie', () => {
    assert.deepEqual(decode([{ key: 0, containers: [{ key: 0, kind: 'array', values: [3, 4, 7, 11, 18, 29] }] }]), [
      3, 4, 7, 11, 18, 29,
    ]);
  });

  it('decodes an array container under the run cookie (no offsets below four containers)', () => {
    const values = [0, 65535];
    assert.deepEqual(decode([{ key: 0, runCookie: true, containers: [{ key: 0, kind: 'array', values }] }]), values);
  });

  it('decodes a full array container (4096 values) and a bitset container', () => {
    const array = range(0, 8192, 2);
    assert.equal(array.length, 4096);
    // Bitset containers hold more than 4096 values (the type follows from the cardinality).
    const bitset = [...range(0, 66), 127, 128, ...range(4000, 20000, 3), 65472, 65535];
    assert.ok(bitset.length > 4096);
    const rows = decode([
      {
        key: 0,
        containers: [
          { key: 1, kind: 'array', values: array },
          { key: 2, kind: 'bitset', values: bitset },
        ],
      },
    ]);
    assert.deepEqual(rows, [...array.map((v) => 65536 + v), ...bitset.map((v) => 2 * 65536 + v)]);
  });

  it('decodes run containers, including a full 65536-value container', () => {
    const runs = [...range(0, 10), 100, ...range(65530, 65536)];
    const rows = decode([
      {
        key: 0,
        containers: [
          { key: 0, kind: 'run', values: runs },
          { key: 7, kind: 'run', values: range(0, 65536) },
        ],
      },
    ]);
    assert.deepEqual(rows, [...runs, ...range(7 * 65536, 8 * 65536)]);
  });

  it('decodes four or more mixed containers with the run cookie and offset header', () => {
    const lows = randomLows(7, 0.3);
    const containers: TestContainer[] = [
      { key: 0, kind: 'array', values: [1, 2, 3] },
      { key: 1, kind: 'bitset', values: lows },
      { key: 2, kind: 'run', values: range(10, 5000) },
      { key: 5, kind: 'array', values: [65535] },
      { key: 65535, kind: 'run', values: [0, 1, 2, 9] },
    ];
    const expected = containers.flatMap((c) => c.values.map((v) => c.key * 65536 + v));
    assert.deepEqual(decode([{ key: 0, containers }]), expected);
  });

  it('combines several high keys into 64-bit row indexes up to 2^53 - 1', () => {
    const top = 2 ** 21 - 1;
    const rows = decode([
      { key: 0, containers: [{ key: 0, kind: 'array', values: [5] }] },
      { key: 1, containers: [{ key: 0, kind: 'array', values: [0, 1] }, { key: 65535, kind: 'run', values: [65535] }] },
      { key: 3, containers: [{ key: 2, kind: 'bitset', values: randomLows(3, 0.5) }] },
      { key: top, containers: [{ key: 65535, kind: 'array', values: [65534, 65535] }] },
    ]);
    const bitsetRows = randomLows(3, 0.5).map((v) => 3 * TWO_32 + 2 * 65536 + v);
    const topRows = [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER];
    assert.deepEqual(rows, [5, TWO_32, TWO_32 + 1, 2 * TWO_32 - 1, ...bitsetRows, ...topRows]);
  });

  it('agrees across encodings for the same random sets', () => {
    for (const [seed, density] of [
      [1, 0.001],
      [2, 0.05],
      [3, 0.9],
    ] as const) {
      const values = randomLows(seed, density);
      const kinds = values.length <= 4096 ? (['run', 'array'] as const) : (['run', 'bitset'] as const);
      for (const kind of kinds) {
        const expected = values.map((v) => 2 * TWO_32 + 9 * 65536 + v);
        assert.deepEqual(decode([{ key: 2, containers: [{ key: 9, kind, values }] }]), expected, kind);
      }
    }
  });

  describe('rejects corrupt input', () => {
    const good = bitmapArray([{ key: 0, bitmap: bitmap32([{ key: 0, kind: 'array', values: [1, 2] }]) }]);
    const fails = (bytes: Uint8Array, message: RegExp) =>
      assert.throws(
        () => decodeRoaringBitmapArray(bytes),
        (e: unknown) => isDeletionVectorError(e) && message.test(e.message),
      );
    const patched = (at: number, ...bytes: number[]) => {
      const copy = good.slice();
      copy.set(bytes, at);
      return copy;
    };

    it('a wrong or native magic number', () => {
      fails(patched(0, 0, 0, 0, 0), /magic number 0, expected 1681511377/);
      fails(patched(0, 0xd0, 0xd3, 0x39, 0x64), /magic number 1681511376 \(native format, not supported\)/);
    });

    it('truncated and trailing bytes', () => {
      fails(good.subarray(0, 3), /truncated: magic number and bucket count/);
      fails(good.subarray(0, good.length - 1), /truncated: array container/);
      fails(Uint8Array.from([...good, 0]), /1 trailing bytes/);
    });

    it('bucket counts and keys out of range or order', () => {
      fails(patched(8, 1), /more than 2\^32 buckets/);
      fails(patched(4, 2), /truncated: bucket key/);
      fails(patched(12, 0, 0, 0x20, 0), /key 2097152 puts row indexes beyond 2\^53/);
      const twoBuckets = bitmapArray([
        { key: 4, bitmap: bitmap32([{ key: 0, kind: 'array', values: [1] }]) },
        { key: 4, bitmap: bitmap32([{ key: 0, kind: 'array', values: [1] }]) },
      ]);
      fails(twoBuckets, /keys not ascending: 4 after 4/);
    });

    it('an unknown cookie, unsorted containers, bad offsets and cardinality mismatches', () => {
      fails(patched(16, 0x39, 0x30), /unknown cookie 12345/);
      const unsortedContainers = bitmapArray([
        { key: 0, bitmap: bitmap32([{ key: 3, kind: 'array', values: [1] }, { key: 2, kind: 'array', values: [1] }]) },
      ]);
      fails(unsortedContainers, /container keys not ascending at container 1/);
      // Offset header of the single container sits right after cookie, count and descriptor.
      fails(patched(16 + 12, 99), /container 0 offset 99 does not match its position 16/);
      fails(patched(16 + 16, 2, 0, 1, 0), /array container values not ascending/);
      const single = (c: TestContainer) => bitmapArray([{ key: 0, bitmap: bitmap32([c]) }]);
      const bitsetTooSmall = single({ key: 0, kind: 'bitset', values: range(0, 5000) });
      bitsetTooSmall[16 + 16 + 8 + 100] = 0;
      fails(bitsetTooSmall, /container 0 holds 4992 values but its header says 5000/);
      const overlappingRuns = single({ key: 0, kind: 'run', values: [1, 2, 3, 10] });
      // Run 2 starts at 10; move it back to 2, inside run 1 (1..3).
      overlappingRuns[16 + 4 + 1 + 4 + 2 + 4] = 2;
      fails(overlappingRuns, /runs overlap, are unsorted or exceed 16 bits/);
    });
  });
});
