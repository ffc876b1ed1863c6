import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import { backoffDelay, parseRetryAfter, withRetries } from './retry.ts';

const POLICY = { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 1000 };

describe('retry', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 1.5 ', now), 1500);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 10:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('backs off exponentially with full jitter, capped', () => {
    assert.equal(backoffDelay(0, POLICY, () => 0.999), 99);
    assert.equal(backoffDelay(1, POLICY, () => 0.5), 100);
    assert.equal(backoffDelay(5, POLICY, () => 0.999), 299);
    assert.equal(backoffDelay(3, POLICY, () => 0), 0);
  });

  it('retries transient failures up to maxRetries, then throws the last failure with the count', async () => {
    let calls = 0;
    await assert.rejects(
      withRetries({ ...POLICY, initialDelayMs: 1 }, new AbortController().signal, () => {
        calls++;
        return Promise.resolve({ ok: false, fail: (n: number) => new Error(`failed after ${n}`) });
      }),
      /failed after 2/,
    );
    assert.equal(calls, 3);
    let tries = 0;
    const value = await withRetries(POLICY, new AbortController().signal, () =>
      Promise.resolve(++tries < 2 ? { ok: false as const, fail: () => new Error('x'), retryAfterMs: 1 } : { ok: true as const, value: 'done' }),
    );
    assert.equal(value, 'done');
  });

  it('a wait is canceled by the signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(
      withRetries(POLICY, controller.signal, () => Promise.resolve({ ok: false, fail: () => new Error('x'), retryAfterMs: 60_000 })),
      (e) => isConnectorError(e, 'CONNECTOR_CANCELED'),
    );
  });
});
