import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonValue } from '../source.ts';
import type { RestApiSourceConfigInput } from './config.ts';
import { restApiSource } from './source.ts';
import { parseState, stateJson } from './state.ts';
import { ids, items, readAll, recordsOf, startTestApi, testContext } from './test-support.ts';
import type { LogLine, TestApi } from './test-support.ts';

interface Event {
  id: number;
  updated_at: string;
}

// Not sorted by updated_at: the latest change is on the first page.
const EVENTS: Event[] = [
  { id: 1, updated_at: '2024-03-05T10:00:00Z' },
  { id: 2, updated_at: '2024-01-02T00:00:00Z' },
  { id: 3, updated_at: '2024-02-01T08:30:00Z' },
  { id: 4, updated_at: '2023-12-31T23:00:00Z' },
  { id: 5, updated_at: '2024-01-15T12:00:00Z' },
  { id: 6, updated_at: '2024-03-01T00:00:00Z' },
  { id: 7, updated_at: '2024-02-20T16:45:00Z' },
  { id: 8, updated_at: '2024-01-03T00:00:00Z' },
];

const ALL = items(11);
const num = (url: URL, name: string, fallback: number): number => Number(url.searchParams.get(name) ?? fallback);

describe('stream state', () => {
  let api: TestApi;
  let events: Event[] = [...EVENTS];

  before(async () => {
    api = await startTestApi({
      '/events': (req) => {
        const since = req.url.searchParams.get('updated_since');
        const page = num(req.url, 'page', 1);
        const size = num(req.url, 'per_page', 3);
        const selected = events.filter((e) => since === null || Date.parse(e.updated_at) >= Date.parse(since));
        return { json: { data: selected.slice((page - 1) * size, page * size) } };
      },
      '/offset': (req) => ({ json: ALL.slice(num(req.url, 'offset', 0), num(req.url, 'offset', 0) + num(req.url, 'limit', 4)) }),
      '/page': (req) => ({ json: ALL.slice((num(req.url, 'page', 1) - 1) * 4, num(req.url, 'page', 1) * 4) }),
      '/cursor': (req) => {
        const start = num(req.url, 'cursor', 0);
        return { json: { items: ALL.slice(start, start + 4), next_cursor: start + 4 < ALL.length ? String(start + 4) : null } };
      },
      '/link': (req) => {
        const page = num(req.url, 'page', 1);
        const next = page * 4 < ALL.length ? { link: `</link?page=${page + 1}&api_key=${req.url.searchParams.get('api_key')}>; rel="next"` } : undefined;
        return { json: ALL.slice((page - 1) * 4, page * 4), ...(next ? { headers: next } : {}) };
      },
      '/next': (req) => {
        const page = num(req.url, 'page', 1);
        return { json: { results: ALL.slice((page - 1) * 4, page * 4), next: page * 4 < ALL.length ? `next?page=${page + 1}` : null } };
      },
    });
  });
  after(() => api.close());

  const eventsSource = () =>
    restApiSource({
      base_url: api.url,
      pagination: { type: 'page', page_size: 3 },
      streams: [
        {
          name: 'events',
          path: '/events',
          records_path: 'data',
          incremental: { cursor_field: 'updated_at', param: 'updated_since', start: '2024-01-01T00:00:00Z', lookback_seconds: 3600 },
        },
      ],
    });
  const sinceOf = (from: number) =>
    api
      .requestsTo('/events')
      .slice(from)
      .map((r) => [r.url.searchParams.get('updated_since'), r.url.searchParams.get('page')]);

  it('incremental: the first run starts at `start`; every batch carries the run; the last sets the watermark', async () => {
    events = [...EVENTS];
    const before = api.requestsTo('/events').length;
    const { batches, records, state } = await readAll(eventsSource(), 'events');
    assert.deepEqual(ids(records), [1, 2, 3, 5, 6, 7, 8]);
    const start = '2024-01-01T00:00:00Z';
    assert.deepEqual(sinceOf(before), [
      [start, '1'],
      [start, '2'],
      [start, '3'],
      [start, '4'],
    ]);
    assert.deepEqual(
      batches.map((b) => b.state),
      [
        { run: { from: start, max: '2024-03-05T10:00:00Z', next: { page: 2 }, page: 2 } },
        { run: { from: start, max: '2024-03-05T10:00:00Z', next: { page: 3 }, page: 3 } },
        { run: { from: start, max: '2024-03-05T10:00:00Z', next: { page: 4 }, page: 4 } },
        { watermark: '2024-03-05T10:00:00Z' },
      ],
    );
    assert.deepEqual(state, { watermark: '2024-03-05T10:00:00Z' });
  });

  it('incremental: the next run starts at the watermark minus the look-back, keeping the overlap', async () => {
    events = [...EVENTS, { id: 9, updated_at: '2024-03-05T09:30:00Z' }, { id: 10, updated_at: '2024-03-06T00:00:00Z' }];
    const before = api.requestsTo('/events').length;
    const { records, state, batches } = await readAll(eventsSource(), 'events', { watermark: '2024-03-05T10:00:00Z' });
    assert.deepEqual(ids(records), [1, 9, 10], 'id 1 again from the overlap: duplicates are kept');
    assert.deepEqual(sinceOf(before), [
      ['2024-03-05T09:00:00Z', '1'],
      ['2024-03-05T09:00:00Z', '2'],
    ]);
    assert.deepEqual(batches[0]?.state, { watermark: '2024-03-05T10:00:00Z', run: { from: '2024-03-05T09:00:00Z', max: '2024-03-06T00:00:00Z', next: { page: 2 }, page: 2 } });
    assert.deepEqual(state, { watermark: '2024-03-06T00:00:00Z' });
  });

  it('incremental: a run that finds nothing newer keeps the watermark', async () => {
    events = [...EVENTS];
    const { records, state } = await readAll(eventsSource(), 'events', { watermark: '2024-03-10T00:00:00Z' });
    assert.deepEqual(records, []);
    assert.deepEqual(state, { watermark: '2024-03-10T00:00:00Z' });
  });

  it('incremental: a resumed run goes on at the next page with the same filter, and the maximum seen before', async () => {
    events = [...EVENTS];
    const full = await readAll(eventsSource(), 'events');
    const committed = full.batches.slice(0, 2);
    // Changes after the crash: the resumed run must keep its own filter rather than a new one.
    events = [...EVENTS, { id: 11, updated_at: '2024-01-01T00:30:00Z' }];
    const before = api.requestsTo('/events').length;
    const resumed = await readAll(eventsSource(), 'events', committed.at(-1)?.state);
    assert.deepEqual(sinceOf(before), [
      ['2024-01-01T00:00:00Z', '3'],
      ['2024-01-01T00:00:00Z', '4'],
    ]);
    assert.deepEqual(ids([...committed.flatMap(recordsOf), ...resumed.records]), [1, 2, 3, 5, 6, 7, 8, 11]);
    assert.deepEqual(resumed.state, { watermark: '2024-03-05T10:00:00Z' }, 'the maximum was on a page committed before the crash');
  });

  const paginated: { kind: string; stream: RestApiSourceConfigInput['streams'][number] }[] = [
    { kind: 'offset', stream: { name: 's', path: '/offset', pagination: { type: 'offset', page_size: 4 } } },
    { kind: 'page', stream: { name: 's', path: '/page', pagination: { type: 'page', page_size: 4 } } },
    { kind: 'cursor', stream: { name: 's', path: '/cursor', records_path: 'items', pagination: { type: 'cursor' } } },
    { kind: 'link_header', stream: { name: 's', path: '/link', pagination: { type: 'link_header' } } },
    { kind: 'next_url', stream: { name: 's', path: '/next', records_path: 'results', pagination: { type: 'next_url' } } },
  ];
  for (const { kind, stream } of paginated) {
    it(`${kind}: resuming after any committed batch reads each remaining page once, then a new run starts over`, async () => {
      const source = restApiSource({ base_url: api.url, auth: { type: 'api_key', query: 'api_key', value: 'k-secret' }, streams: [stream] });
      const full = await readAll(source, 's');
      assert.deepEqual(ids(full.records), ids(ALL));
      assert.deepEqual(full.state, {}, 'a full extraction keeps no state between runs');
      for (let i = 0; i < full.batches.length - 1; i++) {
        const state = full.batches[i]?.state;
        assert.ok(!JSON.stringify(state).includes('k-secret'), `state ${JSON.stringify(state)} holds the api key`);
        const before = api.requests.length;
        const resumed = await readAll(source, 's', state);
        const committed = full.batches.slice(0, i + 1).flatMap(recordsOf);
        assert.deepEqual(ids([...committed, ...resumed.records]), ids(ALL), `resumed after batch ${i + 1}`);
        assert.equal(api.requests.length - before, full.batches.length - i - 1, 'no page fetched twice');
        assert.equal(resumed.batches[0]?.label, `s page ${i + 2}`);
      }
      const again = await readAll(source, 's', full.state);
      assert.deepEqual(ids(again.records), ids(ALL));
    });
  }

  it('a stored position that does not fit the pagination restarts the run, with a warning', async () => {
    const logs: LogLine[] = [];
    const source = restApiSource({ base_url: api.url, streams: [{ name: 's', path: '/page', pagination: { type: 'page', page_size: 4 } }] });
    const { records } = await readAll(source, 's', { run: { next: { cursor: 'abc' }, page: 3 } }, testContext(undefined, logs));
    assert.deepEqual(ids(records), ids(ALL));
    assert.ok(logs.some((l) => l.level === 'warn' && l.message.includes('does not fit')));
  });

  it('parseState and stateJson round-trip; what is not understood is reported', () => {
    const stored: JsonValue = { watermark: 17, run: { from: 10, max: 20, done: ['a'], active: { b: { next: { url: 'https://x/y?page=2' }, page: 2 } } } };
    assert.deepEqual(stateJson(parseState(stored).state), stored);
    const odd = parseState({ watermark: { at: 1 }, run: { next: 3 } });
    assert.deepEqual(odd.state, {});
    assert.equal(odd.problems.length, 2);
    assert.deepEqual(parseState('x').problems, ['the stored state "x" is not an object']);
  });
});
