import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeLimited } from './merge.ts';

async function* numbers(prefix: string, n: number, delayMs: number, signal: AbortSignal): AsyncGenerator<string> {
  for (let i = 1; i <= n; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    if (signal.aborted) throw new Error('aborted');
    yield `${prefix}${i}`;
  }
}

describe('mergeLimited', () => {
  it('yields every item of every sequence, each sequence in order, at most `limit` open at once', async () => {
    let open = 0;
    let maxOpen = 0;
    const seen: string[] = [];
    const merged = mergeLimited(['a', 'b', 'c', 'd'], 2, (key, signal) => {
      return (async function* () {
        open++;
        maxOpen = Math.max(maxOpen, open);
        try {
          yield* numbers(key, 3, key === 'a' ? 5 : 1, signal);
        } finally {
          open--;
        }
      })();
    }, new AbortController().signal);
    for await (const { key, item } of merged) {
      assert.ok(item.startsWith(key));
      seen.push(item);
    }
    assert.deepEqual([...seen].sort(), ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'd1', 'd2', 'd3']);
    for (const k of ['a', 'b', 'c', 'd']) assert.deepEqual(seen.filter((s) => s.startsWith(k)), [`${k}1`, `${k}2`, `${k}3`]);
    assert.equal(maxOpen, 2);
    assert.notDeepEqual(seen.slice(0, 3), ['a1', 'a2', 'a3'], 'sequences are interleaved');
  });

  it('ends with the first failure and aborts the other sequences', async () => {
    const signals: AbortSignal[] = [];
    const merged = mergeLimited([1, 2], 2, (key, signal) => {
      signals.push(signal);
      return (async function* () {
        await new Promise((r) => setTimeout(r, key * 5));
        if (key === 1) throw new Error('boom');
        yield* numbers('x', 100, 5, signal);
      })();
    }, new AbortController().signal);
    await assert.rejects(async () => {
      for await (const _ of merged) void _;
    }, /boom/);
    assert.ok(signals.every((s) => s.aborted));
  });

  it('an early stop by the consumer aborts the open sequences', async () => {
    let signal: AbortSignal | undefined;
    for await (const _ of mergeLimited([1], 1, (_key, s) => ((signal = s), numbers('n', 10, 1, s)), new AbortController().signal)) {
      void _;
      break;
    }
    assert.equal(signal?.aborted, true);
  });
});
