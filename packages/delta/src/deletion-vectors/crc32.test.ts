import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from './crc32.ts';

describe('crc32', () => {
  it('matches the standard check values', () => {
    assert.equal(crc32(new Uint8Array(0)), 0);
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.equal(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  });

  it('reads only the view it is given', () => {
    const backing = new TextEncoder().encode('xx123456789yy');
    assert.equal(crc32(backing.subarray(2, 11)), 0xcbf43926);
  });
});
