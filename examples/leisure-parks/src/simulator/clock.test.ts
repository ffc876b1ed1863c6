import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BaseRecord, EntityName } from './records.ts';
import type { Simulator } from './simulator.ts';
import { createSimulator } from './simulator.ts';

/** Every record the API serves for `entity` with updated_at >= since, paging with `limit`. */
function listAll<T extends BaseRecord>(sim: Simulator, entity: EntityName, updatedSince: string, limit = 250): T[] {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = sim.list(entity, { updatedSince, cursor, limit });
    out.push(...(page.data as unknown as T[]));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

test('advancing the clock creates new records and changes older ones, seen through updated_since', () => {
  const sim = createSimulator({ seed: 21, scale: 0.05, now: '2024-07-10T20:00:00Z' });
  const before = sim.now;
  const bookingsBefore = new Map(sim.records('bookings').map((b) => [b.id, b]));
  const result = sim.advanceDays(3);
  assert.equal(result.from, before);
  assert.equal(result.to, '2024-07-13T20:00:00Z');
  assert.equal(sim.now, result.to);

  const changed = listAll<ReturnType<typeof sim.records<'bookings'>>[number]>(sim, 'bookings', before);
  assert.ok(changed.every((b) => b.updated_at >= before), 'updated_since keeps only records updated at or after it');
  const created = changed.filter((b) => !bookingsBefore.has(b.id));
  const updated = changed.filter((b) => bookingsBefore.has(b.id));
  assert.equal(created.length, result.created.bookings);
  assert.ok(created.length > 50, `only ${created.length} new bookings in three July days`);
  assert.ok(created.every((b) => b.created_at > before));
  assert.equal(updated.length, result.updated.bookings);
  // Older bookings: completed after their session, or cancelled days after they were made.
  for (const b of updated) {
    const old = bookingsBefore.get(b.id);
    assert.ok(old, `booking ${b.id} existed before the clock moved`);
    assert.equal(old.status, 'confirmed');
    assert.notEqual(b.status, 'confirmed');
    assert.ok(b.updated_at > old.updated_at);
  }
  const cancelled = updated.filter((b) => b.status === 'cancelled');
  assert.ok(cancelled.length > 0, 'some older bookings got cancelled');
  assert.ok(updated.some((b) => b.status === 'completed'));
  const b = cancelled[0]!;
  assert.ok(b.cancelled_at !== null && b.cancelled_at >= before && b.updated_at === b.cancelled_at);

  const newCancellations = listAll<ReturnType<typeof sim.records<'cancellations'>>[number]>(sim, 'cancellations', before);
  assert.equal(newCancellations.length, result.created.cancellations);
  assert.ok(newCancellations.some((c) => c.booking_id === b.id && c.cancelled_at === b.cancelled_at));
  const refunds = listAll<ReturnType<typeof sim.records<'payments'>>[number]>(sim, 'payments', before).filter((p) => p.kind === 'refund');
  assert.ok(refunds.length > 0, 'refunds of cancelled bookings appear as new payments');
  assert.ok(refunds.every((p) => p.amount < 0 && sim.get('bookings', p.booking_id)?.status === 'cancelled'));
});

test('updated_since returns exactly the records updated at or after it', () => {
  const sim = createSimulator({ seed: 4, scale: 0.03, now: '2023-08-01T00:00:00Z' });
  for (const since of ['2023-07-01T00:00:00Z', '2023-07-31T12:34:56+02:00', '2030-01-01T00:00:00Z']) {
    const ms = Date.parse(since);
    for (const entity of ['customers', 'payments'] as const) {
      const expected = sim.records(entity).filter((r) => Date.parse(r.updated_at) >= ms);
      assert.deepEqual(listAll(sim, entity, since, 97), expected, `${entity} since ${since}`);
    }
  }
});

test('parks and activities change over time: a new park, price reviews, a retired activity', () => {
  const sim = createSimulator({ seed: 1, scale: 0.01, now: '2023-01-01T00:00:00Z' });
  assert.equal(sim.counts().parks, 7);
  const prices = new Map(sim.records('activities').map((a) => [a.id, a.price]));
  sim.advanceTo('2024-06-01T00:00:00Z');
  const parks = sim.records('parks');
  assert.equal(parks.length, 8);
  const miribel = sim.get('parks', 8);
  assert.equal(miribel?.created_at, '2023-02-15T09:00:00Z');
  assert.equal(sim.get('parks', 3)?.capacity, 160);
  assert.ok(sim.get('parks', 3)!.updated_at > sim.get('parks', 3)!.created_at);
  for (const [id, price] of prices) {
    const now = sim.get('activities', id)!;
    if (now.active) assert.ok(now.price > price, `activity ${id} price rose from ${price} (now ${now.price})`);
  }
  const retired = sim.records('activities').filter((a) => !a.active);
  assert.deepEqual(retired.map((a) => [a.park_id, a.kind]), [[5, 'kneeboard']]);
  const afterRetirement = sim.records('bookings').filter((b) => b.activity_id === retired[0]!.id && b.created_at > retired[0]!.updated_at);
  assert.deepEqual(afterRetirement, [], 'nobody books a retired activity');
});
