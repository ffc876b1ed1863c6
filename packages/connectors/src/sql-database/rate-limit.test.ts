import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import { ByteRateLimiter } from './rate-limit.ts';

describe('ByteRateLimiter', () => {
  it('spaces sends so that the bytes sent fit the rate', async () => {
    const limiter = new ByteRateLimiter(10_000);
    const signal = new AbortController().signal;
    const start = performance.now();
    for (let i = 0; i < 4; i++) {
      await limiter.wait(signal, 'w');
      limiter.record(1_000);
    }
    // Three sends of 1000 bytes precede the fourth: it may start 300 ms after the first.
    assert.ok(performance.now() - start >= 290, `took ${performance.now() - start} ms`);
  });

  it('never waits without a limit', async () => {
    const limiter = new ByteRateLimiter(undefined);
    limiter.record(1e12);
    const start = performance.now();
    await limiter.wait(new AbortController().signal, 'w');
    assert.ok(performance.now() - start < 100);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new ByteRateLimiter(1);
    const controller = new AbortController();
    await limiter.wait(controller.signal, 'w');
    limiter.record(1_000);
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(limiter.wait(controller.signal, 'table t'), (e) => isConnectorError(e, 'CONNECTOR_CANCELED') && e.message === 'table t: canceled');
  });
});
