import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Utf8Check } from './encoding.ts';

function check(chunks: Uint8Array[]): boolean {
  const c = new Utf8Check();
  for (const chunk of chunks) c.push(chunk);
  return c.valid;
}

/** Every way of cutting `bytes` in two. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);
}

describe('Utf8Check', () => {
  test('valid UTF-8 stays valid wherever the chunks are cut', () => {
    const text = Buffer.from('Ambérieux, Besançon, 東京, 🚲', 'utf8');
    for (const parts of splits(text)) assert.equal(check(parts), true);
  });

  test('Latin-1 bytes are found, wherever the chunks are cut', () => {
    const latin1 = Buffer.from('Béziers, François', 'latin1');
    for (const parts of splits(latin1)) assert.equal(check(parts), false);
  });

  test('chunks read one after another into the same buffer', () => {
    const text = Buffer.from('Nîmes, Besançon, 東京', 'utf8');
    for (let size = 1; size <= 4; size++) {
      const buffer = Buffer.alloc(size);
      const c = new Utf8Check();
      for (let at = 0; at < text.length; at += size) {
        const n = text.copy(buffer, 0, at, at + size);
        c.push(buffer.subarray(0, n));
      }
      assert.equal(c.valid, true, `read ${size} byte(s) at a time`);
    }
  });

  test('a character cut off at the very end is invalid', () => {
    const text = Buffer.from('é', 'utf8');
    assert.equal(check([text.subarray(0, 1)]), false);
  });
});
