import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isDeletionVectorError } from './errors.ts';
import { z85Decode, z85Encode } from './z85.ts';

const HELLO = Uint8Array.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);

describe('z85', () => {
  it('matches the ZeroMQ RFC 32 test vector', () => {
    assert.equal(z85Encode(HELLO), 'HelloWorld');
    assert.deepEqual(z85Decode('HelloWorld'), HELLO);
  });

  it('encodes the extremes of a 4-byte group', () => {
    assert.equal(z85Encode(new Uint8Array(4)), '00000');
    assert.equal(z85Encode(Uint8Array.from([0xff, 0xff, 0xff, 0xff])), '%nSc0');
    assert.deepEqual(z85Decode('%nSc0'), Uint8Array.from([0xff, 0xff, 0xff, 0xff]));
  });

  it('round-trips random bytes, including views into larger buffers', () => {
    for (const n of [0, 4, 16, 20, 400]) {
      const bytes = new Uint8Array(randomBytes(n));
      const text = z85Encode(bytes);
      assert.equal(text.length, (n / 4) * 5);
      assert.deepEqual(z85Decode(text), bytes);
    }
    const backing = new Uint8Array(randomBytes(12));
    assert.deepEqual(z85Decode(z85Encode(backing.subarray(4, 12))), backing.subarray(4, 12));
  });

  it('rejects lengths that are not whole groups', () => {
    assert.throws(() => z85Encode(new Uint8Array(5)), /input length 5 is not a multiple of 4/);
    assert.throws(() => z85Decode('Hello!'), (e: unknown) => {
      assert.ok(isDeletionVectorError(e));
      assert.match(e.message, /input length 6 is not a multiple of 5/);
      return true;
    });
  });

  it('rejects characters outside the alphabet, naming the position', () => {
    assert.throws(() => z85Decode('Hello Worl'), /invalid character " " at 5/);
    assert.throws(() => z85Decode('abc"e'), /invalid character "\\"" at 3/);
    assert.throws(() => z85Decode('abcd\u00e9'), /invalid character "é" at 4/);
  });

  it('rejects groups above 2^32 - 1', () => {
    assert.throws(() => z85Decode('%nSc1'), /exceeds 32 bits/);
    assert.throws(() => z85Decode('00000#####'), /group at 5 \(#####\) exceeds 32 bits/);
  });
});
