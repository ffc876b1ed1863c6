import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Booking, Park } from './records.ts';
import type { SimulatorServer } from './server.ts';
import { startSimulatorServer } from './server.ts';

let server: SimulatorServer;

before(async () => {
  server = await startSimulatorServer({ seed: 17, scale: 0.05, now: '2025-06-30T22:00:00Z' });
});
after(() => server.close());

interface ListBody<T> {
  data: T[];
  next_cursor: string | null;
}

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, { headers: { 'x-api-key': server.apiKey } });
  return { status: res.status, body: (await res.json()) as T };
}

async function pageAll<T>(path: string, limit: number): Promise<{ records: T[]; pages: number }> {
  const records: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body }: { status: number; body: ListBody<T> } = await get<ListBody<T>>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(status, 200, `GET ${path} page ${pages + 1}`);
    assert.ok(body.data.length <= limit);
    records.push(...body.data);
    cursor = body.next_cursor;
    pages++;
  } while (cursor !== null);
  return { records, pages };
}

test('paging through all bookings with limit=1000 returns each booking exactly once, in (updated_at, id) order', async () => {
  const { records, pages } = await pageAll<Booking>('/v1/bookings', 1000);
  const expected = server.sim.records('bookings');
  assert.ok(expected.length > 5000, `expected thousands of bookings, got ${expected.length}`);
  assert.equal(pages, Math.ceil(expected.length / 1000));
  assert.equal(new Set(records.map((b) => b.id)).size, records.length, 'no booking twice');
  assert.deepEqual(records, expected);
  for (let i = 1; i < records.length; i++) {
    const [a, b] = [records[i - 1]!, records[i]!];
    assert.ok(a.updated_at < b.updated_at || (a.updated_at === b.updated_at && a.id < b.id), `order broken at ${i}`);
  }
});

test('every collection pages completely with a small limit; the default limit is 100', async () => {
  for (const entity of ['parks', 'activities', 'cancellations'] as const) {
    const { records } = await pageAll<{ id: number }>(`/v1/${entity}`, 7);
    assert.deepEqual(records, server.sim.records(entity), entity);
  }
  const { body } = await get<ListBody<unknown>>('/v1/customers');
  assert.equal(body.data.length, 100);
  assert.equal(typeof body.next_cursor, 'string');
});

test('updated_since filters by updated_at >= value, over HTTP too', async () => {
  const since = '2025-06-01T00:00:00Z';
  const { records } = await pageAll<Booking>(`/v1/bookings?updated_since=${encodeURIComponent(since)}`, 500);
  const expected = server.sim.records('bookings').filter((b) => b.updated_at >= since);
  assert.ok(expected.length > 0 && expected.length < server.sim.counts().bookings);
  assert.deepEqual(records, expected);
});

test('GET /v1/parks/:id/bookings lists that park only; together the parks cover all bookings', async () => {
  const { body: parks } = await get<ListBody<Park>>('/v1/parks?limit=1000');
  assert.equal(parks.data.length, 8);
  const seen = new Set<number>();
  for (const park of parks.data) {
    const { records } = await pageAll<Booking>(`/v1/parks/${park.id}/bookings`, 1000);
    assert.ok(records.every((b) => b.park_id === park.id));
    assert.deepEqual(records, server.sim.records('bookings').filter((b) => b.park_id === park.id));
    for (const b of records) seen.add(b.id);
  }
  assert.equal(seen.size, server.sim.counts().bookings);
  const missing = await get<{ error: string; message: string }>('/v1/parks/42/bookings');
  assert.equal(missing.status, 404);
  assert.match(missing.body.message, /no park with id 42/);
});

test('bad queries get 400 with a JSON error that names the problem', async () => {
  for (const [query, pattern] of [
    ['limit=1001', /limit must be an integer from 1 to 1000/],
    ['limit=ten', /limit .* got "ten"/],
    ['cursor=abc', /cursor "abc"/],
    ['updated_since=yesterday', /updated_since "yesterday"/],
  ] as const) {
    const { status, body } = await get<{ error: string; message: string }>(`/v1/bookings?${query}`);
    assert.equal(status, 400, query);
    assert.equal(body.error, 'invalid_request');
    assert.match(body.message, pattern);
  }
  const unknown = await get<{ error: string }>('/v1/invoices');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error, 'not_found');
});

test('POST /admin/clock moves the clock; new and changed bookings then show up through updated_since', async () => {
  const before = server.sim.now;
  const res = await fetch(`${server.url}/admin/clock`, {
    method: 'POST',
    headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ days: 2 }),
  });
  assert.equal(res.status, 200);
  const moved = (await res.json()) as { from: string; to: string; created: { bookings: number }; updated: { bookings: number } };
  assert.equal(moved.from, before);
  assert.equal(moved.to, '2025-07-02T22:00:00Z');
  const { records } = await pageAll<Booking>(`/v1/bookings?updated_since=${before}`, 1000);
  assert.equal(records.filter((b) => b.created_at > before).length, moved.created.bookings);
  assert.equal(records.filter((b) => b.created_at <= before).length, moved.updated.bookings);
  assert.ok(moved.created.bookings > 0 && moved.updated.bookings > 0);
  const { body: state } = await get<{ now: string; counts: { bookings: number } }>('/admin/state');
  assert.equal(state.now, moved.to);
  assert.equal(state.counts.bookings, server.sim.counts().bookings);
  const back = await fetch(`${server.url}/admin/clock`, {
    method: 'POST',
    headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ to: '2025-01-01T00:00:00Z' }),
  });
  assert.equal(back.status, 400);
  assert.match(((await back.json()) as { message: string }).message, /cannot move back/);
});
