import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import type { RestApiSourceConfigInput } from './config.ts';
import { restApiSource } from './source.ts';
import { ids, items, readAll, startTestApi, testContext } from './test-support.ts';
import type { TestApi, TestReply } from './test-support.ts';

const FAST_RETRY = { max_retries: 3, initial_delay_ms: 5, max_delay_ms: 20 };

describe('HTTP faults and politeness', () => {
  let api: TestApi;
  const counters = new Map<string, number>();
  const count = (key: string): number => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };

  before(async () => {
    api = await startTestApi({
      '/throttled': (req) => (count(`throttled ${req.url.search}`) === 1 ? { status: 429, headers: { 'retry-after': '1' }, text: 'slow down' } : { json: [{ id: 1 }] }),
      '/flaky': () => (count('flaky') <= 2 ? { status: 502, text: 'bad gateway' } : { json: [{ id: 1 }, { id: 2 }] }),
      '/down': () => ({ status: 503, text: `<html>${'maintenance '.repeat(40)}</html>` }),
      '/missing': () => ({ status: 404, json: { error: 'no such resource', detail: 'x'.repeat(300) } }),
      '/slow': (): TestReply => ({ json: [{ id: 1 }], delayMs: 300 }),
      '/hang': (): TestReply => ({ json: [], delayMs: 5000 }),
      '/long-wait': () => ({ status: 429, headers: { 'retry-after': '20' }, text: 'later' }),
      '/paged': (req) => {
        const page = Number(req.url.searchParams.get('page') ?? 1);
        return { json: page <= 6 ? [{ id: page }] : [] };
      },
      '/parks': () => ({ json: items(8) }),
      '/parks/:id/bookings': (req) => ({ json: [{ id: `${req.params.id}-1` }], delayMs: 40 }),
    });
  });
  after(() => api.close());

  const source = (streams: RestApiSourceConfigInput['streams'], extra: Partial<RestApiSourceConfigInput> = {}) =>
    restApiSource({ base_url: api.url, retry: FAST_RETRY, ...extra, streams });

  it('429 honours Retry-After: the retry waits at least that long', async () => {
    const { records } = await readAll(source([{ name: 't', path: '/throttled', params: { run: 1 } }]), 't');
    assert.deepEqual(ids(records), [1]);
    const [first, second] = api.requestsTo('/throttled');
    assert.ok(first && second);
    assert.ok(second.at - first.at >= 1000, `retried after ${second.at - first.at} ms`);
  });

  it('a Retry-After longer than max_retry_after_ms fails at once, naming the wait', async () => {
    const before = api.requestsTo('/long-wait').length;
    const s = source([{ name: 'w', path: '/long-wait' }], { retry: { ...FAST_RETRY, max_retry_after_ms: 10_000 } });
    await assert.rejects(readAll(s, 'w'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_HTTP'));
      assert.match(e.message, /stream w: GET .*\/long-wait failed with HTTP 429 and Retry-After 20 s, longer than retry.max_retry_after_ms/);
      return true;
    });
    assert.equal(api.requestsTo('/long-wait').length - before, 1);
  });

  it('5xx is retried, then the page is read', async () => {
    const { records } = await readAll(source([{ name: 'f', path: '/flaky' }]), 'f');
    assert.deepEqual(ids(records), [1, 2]);
    assert.equal(api.requestsTo('/flaky').length, 3);
  });

  it('a persistent 5xx fails after max_retries, naming the stream, the URL (secrets redacted) and the status', async () => {
    const s = source([{ name: 'bookings', path: '/down', params: { status: 'all' } }], { auth: { type: 'api_key', query: 'api_key', value: 'k3y' } });
    await assert.rejects(readAll(s, 'bookings'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_HTTP'));
      assert.equal(e.retryable, true);
      assert.ok(e.message.startsWith(`stream bookings: GET ${api.url}/down?status=all&api_key=*** failed with HTTP 503 after 3 retries: <html>maintenance`), e.message);
      assert.ok(!e.message.includes('k3y'));
      return true;
    });
    assert.equal(api.requestsTo('/down').length, 4);
  });

  it('other 4xx fail at once with the first 200 characters of the body', async () => {
    await assert.rejects(readAll(source([{ name: 'm', path: '/missing' }]), 'm'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_HTTP'));
      assert.equal(e.retryable, false);
      const body = JSON.stringify({ error: 'no such resource', detail: 'x'.repeat(300) }).slice(0, 200);
      assert.ok(e.message.endsWith(`failed with HTTP 404: ${body}…`), e.message);
      return true;
    });
    assert.equal(api.requestsTo('/missing').length, 1);
  });

  it('network errors are retried, then reported with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const s = restApiSource({ base_url: `http://127.0.0.1:${port}`, retry: FAST_RETRY, streams: [{ name: 'n', path: '/x' }] });
    await assert.rejects(readAll(s, 'n'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_HTTP'));
      assert.match(e.message, new RegExp(`stream n: GET http://127.0.0.1:${port}/x failed after 3 retries: network error .*ECONNREFUSED`));
      return true;
    });
  });

  it('timeouts are retried, then reported', async () => {
    const before = api.requestsTo('/slow').length;
    const s = source([{ name: 'slow', path: '/slow' }], { timeout_ms: 50, retry: { max_retries: 1, initial_delay_ms: 1, max_delay_ms: 1 } });
    await assert.rejects(readAll(s, 'slow'), /stream slow: GET .*\/slow failed after 1 retry: timed out after 50 ms/);
    assert.equal(api.requestsTo('/slow').length - before, 2);
  });

  it('requests_per_second spaces requests, across streams', async () => {
    const sent: number[] = [];
    const timedFetch: typeof fetch = (input, init) => {
      sent.push(performance.now());
      return fetch(input, init);
    };
    const s = restApiSource(
      {
        base_url: api.url,
        rate_limit: { requests_per_second: 25 },
        streams: [
          { name: 'a', path: '/paged', pagination: { type: 'page' } },
          { name: 'b', path: '/paged', pagination: { type: 'page' } },
        ],
      },
      { fetch: timedFetch },
    );
    const [a, b] = await Promise.all([readAll(s, 'a'), readAll(s, 'b')]);
    assert.deepEqual(ids(a.records), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(ids(b.records), [1, 2, 3, 4, 5, 6]);
    assert.equal(sent.length, 14);
    // 40 ms apart at 25 requests per second; the send itself comes a moment after the limiter lets it go.
    for (let i = 1; i < sent.length; i++) {
      const gap = (sent[i] ?? 0) - (sent[i - 1] ?? 0);
      assert.ok(gap >= 30, `request ${i} was sent ${gap.toFixed(1)} ms after the previous one`);
    }
    const span = (sent.at(-1) ?? 0) - (sent[0] ?? 0);
    assert.ok(span >= 13 * 40 - 5, `14 requests were sent within ${span.toFixed(1)} ms`);
  });

  it('concurrency bounds the requests in flight while a child stream fetches its parents in parallel', async () => {
    const s = source(
      [
        { name: 'parks', path: '/parks' },
        { name: 'bookings', path: '/parks/{park_id}/bookings', parent: { stream: 'parks', key: 'id', as: 'park_id' } },
      ],
      { rate_limit: { concurrency: 3 } },
    );
    const flightsBefore = api.maxInFlight;
    assert.ok(flightsBefore <= 3);
    const { records } = await readAll(s, 'bookings');
    assert.deepEqual(ids(records).sort(), ['1-1', '2-1', '3-1', '4-1', '5-1', '6-1', '7-1', '8-1']);
    assert.ok(api.maxInFlight <= 3, `${api.maxInFlight} requests were in flight at once`);
    assert.ok(api.maxInFlight >= 2, 'parents were fetched in parallel');
  });

  it('abort stops a request in flight promptly with CONNECTOR_CANCELED', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(readAll(source([{ name: 'h', path: '/hang' }]), 'h', undefined, testContext(controller.signal)), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_CANCELED'), String(e));
      assert.match(e.message, /stream h/);
      return true;
    });
    assert.ok(performance.now() - started < 2000, 'did not wait for the server');
  });

  it('abort stops the wait before a retry', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const s = source([{ name: 'd', path: '/down' }], { retry: { max_retries: 3, initial_delay_ms: 20_000, max_delay_ms: 20_000 } });
    // Full jitter may pick a short delay: several retries may pass, but never the whole minute.
    await assert.rejects(readAll(s, 'd', undefined, testContext(controller.signal)), (e) => isConnectorError(e, 'CONNECTOR_CANCELED'));
    assert.ok(performance.now() - started < 5000);
  });

  it('abort stops the wait for the rate limiter', async () => {
    const controller = new AbortController();
    const s = source([{ name: 'p', path: '/paged', pagination: { type: 'page' } }], { rate_limit: { requests_per_second: 0.2 } });
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(readAll(s, 'p', undefined, testContext(controller.signal)), (e) => isConnectorError(e, 'CONNECTOR_CANCELED'));
    assert.ok(performance.now() - started < 2000);
  });
});
