import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import type { SourceBatch } from '../source.ts';
import type { RestApiSourceConfigInput } from './config.ts';
import { restApiSource } from './source.ts';
import { isParentsRun, parseState } from './state.ts';
import { readAll, recordsOf, startTestApi, testContext } from './test-support.ts';
import type { LogLine, TestApi } from './test-support.ts';

// Bookings per park; park 2 has none. Parks come two per page, with a duplicate and one without id.
const BOOKINGS: Record<string, number> = { '1': 3, '2': 0, '3': 5, '4': 1, '5': 2 };
const PARKS = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 1 }, { name: 'no id' }, { id: 4 }, { id: 5 }];
const ALL_BOOKINGS = Object.entries(BOOKINGS)
  .flatMap(([park, n]) => Array.from({ length: n }, (_, i) => `${park}-${i + 1}`))
  .sort();

function bookingIds(records: readonly Readonly<Record<string, unknown>>[]): string[] {
  return records.map((r) => String(r.id)).sort();
}

describe('child streams', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({
      '/parks': (req) => {
        const page = Number(req.url.searchParams.get('page') ?? 1);
        return { json: { data: PARKS.slice((page - 1) * 2, page * 2) } };
      },
      '/parks/:id/bookings': (req) => {
        const page = Number(req.url.searchParams.get('page') ?? 1);
        const since = req.url.searchParams.get('since');
        const all = Array.from({ length: BOOKINGS[req.params.id ?? ''] ?? 0 }, (_, i) => ({ id: `${req.params.id}-${i + 1}`, version: 10 * Number(req.params.id) + i }));
        const selected = all.filter((b) => since === null || b.version >= Number(since));
        return { json: { data: selected.slice((page - 1) * 2, page * 2) }, delayMs: 2 };
      },
      '/slow/:id/bookings': () => ({ json: { data: [] }, delayMs: 3000 }),
      '/bookings': (req) => ({ json: { data: [{ id: `q${req.url.searchParams.get('park')}` }] } }),
      '/regions': () => ({ json: { data: [{ code: 'north' }, { code: 'south' }] } }),
      '/regions/:code/parks': (req) => ({ json: { data: req.params.code === 'north' ? [{ id: 1 }, { id: 3 }] : [{ id: 5 }] } }),
    });
  });
  after(() => api.close());

  const source = (concurrency: number, child: Partial<RestApiSourceConfigInput['streams'][number]> = {}) =>
    restApiSource({
      base_url: api.url,
      pagination: { type: 'page', page_size: 2 },
      rate_limit: { concurrency },
      streams: [
        { name: 'parks', path: '/parks', records_path: 'data' },
        { name: 'park_bookings', path: '/parks/{park_id}/bookings', records_path: 'data', parent: { stream: 'parks', key: 'id', as: 'park_id' }, ...child },
      ],
    });

  it('reads the path once per distinct parent key, labelling batches and adding the parent column', async () => {
    const logs: LogLine[] = [];
    const { batches, records, state } = await readAll(source(1), 'park_bookings', undefined, testContext(undefined, logs));
    assert.deepEqual(bookingIds(records), ALL_BOOKINGS);
    // Page pagination ends at an empty page: every parent's last page is empty, except a parent with none at all.
    const pages: [number, number][] = [[1, 3], [2, 1], [3, 4], [4, 2], [5, 2]];
    assert.deepEqual(
      batches.map((b) => [b.label, b.columns]),
      pages.flatMap(([park, n]) => Array.from({ length: n }, (_, i) => [`park_bookings park_id=${park} page ${i + 1}`, { _parent_park_id: park }])),
    );
    assert.deepEqual(batches[0]?.state, { run: { done: [], active: { '1': { next: { page: 2 }, page: 2 } } } });
    assert.deepEqual(batches[3]?.state, { run: { done: ['1', '2'], active: {} } });
    assert.deepEqual(state, {});
    assert.ok(logs.some((l) => l.level === 'warn' && l.message.includes('1 records of parks have no string or number at id')));
  });

  it('resuming after any committed batch skips finished parents and goes on where the others were (parents read in parallel)', async () => {
    const full = await readAll(source(3), 'park_bookings');
    assert.deepEqual(bookingIds(full.records), ALL_BOOKINGS);
    const activeParents = full.batches.map((b) => {
      const run = parseState(b.state).state.run;
      return run !== undefined && isParentsRun(run) ? Object.keys(run.active).length : 0;
    });
    assert.ok(Math.max(...activeParents) >= 2, 'several parents were in progress at once');
    const childRequests = (): number => api.requestsTo('/parks/:id/bookings').length;
    for (let i = 0; i < full.batches.length - 1; i++) {
      const committed: SourceBatch[] = full.batches.slice(0, i + 1);
      const before = childRequests();
      const resumed = await readAll(source(3), 'park_bookings', committed.at(-1)?.state);
      assert.deepEqual(bookingIds([...committed.flatMap(recordsOf), ...resumed.records]), ALL_BOOKINGS, `resumed after batch ${i + 1}`);
      // One request per page: only the pages not committed yet are fetched.
      assert.equal(childRequests() - before, full.batches.length - i - 1, `requests when resuming after batch ${i + 1}`);
    }
  });

  it('a run with every parent done ends with one empty batch', async () => {
    const { batches } = await readAll(source(2), 'park_bookings', { run: { done: ['1', '2', '3', '4', '5'], active: {} } });
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]?.data, { kind: 'records', records: [] });
    assert.deepEqual(batches[0]?.state, {});
  });

  it('incremental: the filter goes to every parent request, and the watermark is the maximum over all parents', async () => {
    const s = source(2, { incremental: { cursor_field: 'version', param: 'since', start: 31 } });
    const before = api.requestsTo('/parks/:id/bookings').length;
    const first = await readAll(s, 'park_bookings');
    assert.deepEqual(bookingIds(first.records), ['3-2', '3-3', '3-4', '3-5', '4-1', '5-1', '5-2']);
    assert.ok(
      api
        .requestsTo('/parks/:id/bookings')
        .slice(before)
        .every((r) => r.url.searchParams.get('since') === '31'),
    );
    assert.deepEqual(first.state, { watermark: 51 });
    const second = await readAll(s, 'park_bookings', first.state);
    assert.deepEqual(bookingIds(second.records), ['5-2']);
  });

  it("without a placeholder in the path the parent's value is a query parameter", async () => {
    const s = restApiSource({
      base_url: api.url,
      streams: [
        { name: 'parks', path: '/parks', records_path: 'data', pagination: { type: 'page', page_size: 2 } },
        { name: 'bookings', path: '/bookings', records_path: 'data', parent: { stream: 'parks', key: 'id', as: 'park' } },
      ],
    });
    const { records } = await readAll(s, 'bookings');
    assert.deepEqual(bookingIds(records), ['q1', 'q2', 'q3', 'q4', 'q5']);
  });

  it('abort stops the parents being read in parallel promptly', async () => {
    const controller = new AbortController();
    const s = source(3, { path: '/slow/{park_id}/bookings' });
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(readAll(s, 'park_bookings', undefined, testContext(controller.signal)), (e) => isConnectorError(e, 'CONNECTOR_CANCELED'));
    assert.ok(performance.now() - started < 2000, 'did not wait for the server');
  });

  it('a parent may itself be a child stream', async () => {
    const s = restApiSource({
      base_url: api.url,
      pagination: { type: 'page', page_size: 2 },
      streams: [
        { name: 'regions', path: '/regions', records_path: 'data', pagination: { type: 'none' } },
        { name: 'parks', path: '/regions/{code}/parks', records_path: 'data', pagination: { type: 'none' }, parent: { stream: 'regions', key: 'code', as: 'code' } },
        { name: 'bookings', path: '/parks/{park_id}/bookings', records_path: 'data', parent: { stream: 'parks', key: 'id', as: 'park_id' } },
      ],
    });
    const { records } = await readAll(s, 'bookings');
    assert.deepEqual(bookingIds(records), ['1-1', '1-2', '1-3', '3-1', '3-2', '3-3', '3-4', '3-5', '5-1', '5-2']);
  });
});
