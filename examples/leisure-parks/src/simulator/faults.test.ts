import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { isoDateOf, parisDayOf } from './calendar.ts';
import { NO_FAULTS, RequestFaults, UNKNOWN_PARK_ID } from './faults.ts';
import type { FaultSettings } from './faults.ts';
import type { BaseRecord, Booking, Payment } from './records.ts';
import type { SimulatorServer } from './server.ts';
import { startSimulatorServer } from './server.ts';
import { createSimulator } from './simulator.ts';

let server: SimulatorServer;

before(async () => {
  server = await startSimulatorServer({ seed: 31, scale: 0.03, now: '2024-10-01T00:00:00Z' });
});
after(() => server.close());
beforeEach(() => {
  server.sim.setFaults(NO_FAULTS);
});

const headers = () => ({ 'x-api-key': server.apiKey });

async function setFaults(patch: unknown): Promise<Response> {
  return fetch(`${server.url}/admin/faults`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: JSON.stringify(patch) });
}

/** All records of a collection as served, following cursors. */
function served<T extends BaseRecord>(entity: 'bookings' | 'payments' | 'customers', parkId?: number): T[] {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = server.sim.list(entity, { cursor, limit: 1000, parkId });
    out.push(...(page.data as unknown as T[]));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

const settings = (patch: Partial<FaultSettings>): FaultSettings => ({ ...NO_FAULTS, ...patch });

test('request faults are decided by the seed and the request number', () => {
  const pattern = (seed: number) => {
    const faults = new RequestFaults(seed);
    const s = settings({ throttle: { rate: 0.05, burst: 3, retryAfterSeconds: 1 }, serverErrors: { rate: 0.1 } });
    return Array.from({ length: 400 }, () => faults.next(s).kind);
  };
  assert.deepEqual(pattern(1), pattern(1));
  assert.notDeepEqual(pattern(1), pattern(2));
  const kinds = pattern(1);
  // 429s come in bursts of at least three consecutive responses.
  const runs: number[] = [];
  kinds.forEach((kind, i) => {
    if (kind !== 'throttle') return;
    if (kinds[i - 1] === 'throttle') runs[runs.length - 1]!++;
    else runs.push(1);
  });
  assert.ok(runs.length > 0 && runs.every((n) => n >= 3), `throttle bursts: ${runs.join(' ')}`);
  const errors = kinds.filter((k) => k === 'error').length;
  assert.ok(errors > 15 && errors < 70, `${errors} errors out of 400 at rate 0.1`);
});

test('throttling answers 429 with Retry-After in seconds, in bursts, until it is switched off', async () => {
  assert.equal((await setFaults({ throttle: { rate: 1, burst: 2, retryAfterSeconds: 7 } })).status, 200);
  const res = await fetch(`${server.url}/v1/bookings?limit=5`, { headers: headers() });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '7');
  assert.equal(((await res.json()) as { error: string }).error, 'rate_limited');
  await setFaults({ throttle: { rate: 0 } });
  assert.equal((await fetch(`${server.url}/v1/bookings?limit=5`, { headers: headers() })).status, 200);
  const state = (await (await fetch(`${server.url}/admin/state`, { headers: headers() })).json()) as { faults: FaultSettings };
  assert.deepEqual(state.faults.throttle, { rate: 0, burst: 2, retryAfterSeconds: 7 });
});

test('DELETE /admin/faults turns every fault off', async () => {
  await setFaults({ throttle: { rate: 1 }, data: { duplicateRate: 0.5 } });
  const res = await fetch(`${server.url}/admin/faults`, { method: 'DELETE', headers: headers() });
  assert.equal(res.status, 200);
  assert.deepEqual(((await res.json()) as { faults: FaultSettings }).faults, NO_FAULTS);
  assert.deepEqual(server.sim.faults, NO_FAULTS);
  assert.equal((await fetch(`${server.url}/v1/parks`, { headers: headers() })).status, 200);
});

test('server errors are injected at the configured rate and admin routes are spared', async () => {
  await setFaults({ serverErrors: { rate: 1 } });
  const res = await fetch(`${server.url}/v1/parks`, { headers: headers() });
  assert.ok([500, 502, 503].includes(res.status), `got ${res.status}`);
  assert.equal(((await res.json()) as { error: string }).error, 'server_error');
  assert.equal((await fetch(`${server.url}/admin/state`, { headers: headers() })).status, 200);
  await setFaults({ serverErrors: { rate: 0.5 } });
  const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await fetch(`${server.url}/v1/parks`, { headers: headers() })).status));
  const failed = statuses.filter((s) => s >= 500).length;
  assert.ok(failed > 5 && failed < 35, `${failed} of 40 failed at rate 0.5`);
});

test('slow pages add the configured latency', async () => {
  await setFaults({ slowPages: { rate: 1, delayMs: 250 } });
  const started = performance.now();
  assert.equal((await fetch(`${server.url}/v1/parks`, { headers: headers() })).status, 200);
  assert.ok(performance.now() - started >= 240, 'the response came back before the added delay');
});

test('fault settings are validated', async () => {
  const res = await setFaults({ serverErrors: { rate: 3 } });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { message: string }).message, /serverErrors\.rate/);
  assert.throws(() => server.sim.setFaults({ data: { missingDays: ['14/07/2024'] } }), { message: /YYYY-MM-DD/ });
  assert.throws(() => createSimulator({ scale: 0.01, faults: { typo: {} } as never }), { code: 'SIM_INVALID_OPTIONS' });
});

test('data faults are off by default', () => {
  const bookings = served<Booking>('bookings');
  assert.deepEqual(bookings, server.sim.records('bookings'));
  assert.ok(bookings.every((b) => b.amount > 0 && b.park_id !== UNKNOWN_PARK_ID));
  assert.ok(served<Payment>('payments').every((p) => (p.kind === 'payment') === p.amount > 0));
});

test('duplicates: some records are served twice, every record still at least once', () => {
  server.sim.setFaults({ data: { duplicateRate: 0.05 } });
  const bookings = served<Booking>('bookings');
  const truth = server.sim.records('bookings');
  const ids = new Set(bookings.map((b) => b.id));
  assert.equal(ids.size, truth.length);
  const extra = bookings.length - truth.length;
  assert.ok(extra > truth.length * 0.02 && extra < truth.length * 0.08, `${extra} duplicates among ${truth.length}`);
  assert.deepEqual(served<Booking>('bookings'), bookings, 'the same duplicates on every read');
});

test('negative amounts and unknown parks appear on some bookings and payments', () => {
  server.sim.setFaults({ data: { negativeAmountRate: 0.03, unknownParkRate: 0.02 } });
  const bookings = served<Booking>('bookings');
  const negative = bookings.filter((b) => b.amount < 0);
  const orphans = bookings.filter((b) => b.park_id === UNKNOWN_PARK_ID);
  assert.ok(negative.length > 0 && negative.length < bookings.length * 0.1);
  assert.ok(orphans.length > 0 && orphans.length < bookings.length * 0.1);
  assert.equal(server.sim.get('parks', UNKNOWN_PARK_ID), undefined);
  for (const b of negative) assert.equal(b.amount, -server.sim.get('bookings', b.id)!.amount);
  assert.ok(served<Payment>('payments').some((p) => p.kind === 'payment' && p.amount < 0));
  const orphan = server.sim.get('bookings', orphans[0]!.id)!;
  const underPark = served<Booking>('bookings', orphan.park_id);
  assert.ok(underPark.length > 0 && underPark.every((b) => b.park_id === orphan.park_id), 'orphaned bookings leave their park route');
  assert.ok(!underPark.some((b) => b.id === orphan.id));
});

test('a missing day: nothing created on that Paris date is served', () => {
  const day = '2024-07-14';
  const createdThatDay = (r: BaseRecord) => isoDateOf(parisDayOf(Date.parse(r.created_at))) === day;
  assert.ok(served<Booking>('bookings').some(createdThatDay), 'the day has bookings without the fault');
  server.sim.setFaults({ data: { missingDays: [day] } });
  for (const entity of ['bookings', 'payments', 'customers'] as const) {
    const records = served(entity);
    assert.ok(records.length > 0);
    assert.equal(records.filter(createdThatDay).length, 0, `${entity} created on ${day}`);
    assert.equal(records.length, server.sim.records(entity).filter((r) => !createdThatDay(r)).length);
  }
});

test('faults can be set when the simulator starts', () => {
  const sim = createSimulator({ scale: 0.01, now: '2022-09-01T00:00:00Z', faults: { data: { unknownParkRate: 1 } } });
  assert.ok(sim.list('bookings', { limit: 50 }).data.every((b) => b.park_id === UNKNOWN_PARK_ID));
  assert.equal(sim.faults.data.duplicateRate, 0);
});
