import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS, dateParts, dayOf, isWeekend, parisDayOf } from './calendar.ts';
import { ENTITY_NAMES } from './records.ts';
import type { Simulator } from './simulator.ts';
import { createSimulator } from './simulator.ts';

function snapshot(sim: Simulator) {
  return Object.fromEntries(ENTITY_NAMES.map((e) => [e, sim.records(e)]));
}

test('the same seed gives the same records; another seed gives other records', () => {
  const a = createSimulator({ seed: 7, scale: 0.02, now: '2024-09-01T00:00:00Z' });
  const b = createSimulator({ seed: 7, scale: 0.02, now: '2024-09-01T00:00:00Z' });
  const c = createSimulator({ seed: 8, scale: 0.02, now: '2024-09-01T00:00:00Z' });
  assert.deepEqual(snapshot(a), snapshot(b));
  assert.ok(a.counts().bookings > 1000, `expected over 1000 bookings, got ${a.counts().bookings}`);
  assert.notDeepEqual(a.records('bookings').slice(0, 50), c.records('bookings').slice(0, 50));
  assert.notDeepEqual(a.records('customers').slice(0, 50), c.records('customers').slice(0, 50));
});

test('advancing the clock in steps gives the same records as starting at the later instant', () => {
  const stepped = createSimulator({ seed: 11, scale: 0.03, now: '2024-06-01T06:30:00Z' });
  stepped.advanceDays(0.25);
  stepped.advanceDays(3);
  stepped.advanceTo('2024-06-20T13:07:00Z');
  stepped.advanceDays(12.5);
  const direct = createSimulator({ seed: 11, scale: 0.03, now: stepped.now });
  assert.equal(direct.now, '2024-07-03T01:07:00Z');
  assert.deepEqual(snapshot(stepped), snapshot(direct));
});

test('history covers several years from 2022 by default, up to the simulated now', () => {
  const sim = createSimulator({ scale: 0.02 });
  assert.equal(sim.now, '2025-06-30T22:00:00Z');
  assert.equal(sim.start, '2021-12-31T23:00:00Z', 'midnight, Paris time, on 2022-01-01');
  const years = new Set(sim.records('bookings').map((b) => b.created_at.slice(0, 4)));
  assert.deepEqual([...years].sort(), ['2022', '2023', '2024', '2025']);
  for (const e of ENTITY_NAMES) for (const r of sim.records(e)) assert.ok(r.updated_at <= sim.now, `${e} ${r.id} is from the future`);
});

test('bookings are seasonal: mostly May to September, weekends much busier, winter nearly empty', () => {
  const sim = createSimulator({ seed: 5, scale: 0.05 });
  const bookings = sim.records('bookings');
  const first = dayOf('2022-01-01');
  const last = dayOf('2025-06-30');
  const perDay = new Map<number, number>();
  for (const b of bookings) {
    const day = parisDayOf(Date.parse(b.session_start));
    if (day <= last) perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  let summer = 0;
  let winter = 0;
  let total = 0;
  const weekend = { days: 0, bookings: 0 };
  const weekday = { days: 0, bookings: 0 };
  for (let day = first; day <= last; day++) {
    const n = perDay.get(day) ?? 0;
    const { month } = dateParts(day);
    total += n;
    if (month >= 5 && month <= 9) summer += n;
    if (month === 12 || month <= 2) winter += n;
    const bucket = isWeekend(day) ? weekend : weekday;
    bucket.days++;
    bucket.bookings += n;
  }
  assert.ok(total > 5000, `expected a few thousand bookings, got ${total}`);
  assert.ok(summer / total > 0.75, `May–September share is ${(summer / total).toFixed(2)}`);
  assert.ok(winter / total < 0.03, `December–February share is ${(winter / total).toFixed(3)}`);
  const ratio = weekend.bookings / weekend.days / (weekday.bookings / weekday.days);
  assert.ok(ratio > 1.6, `weekend days average only ${ratio.toFixed(2)}× weekdays`);
});

test('records are consistent with each other and with the clock', () => {
  const sim = createSimulator({ seed: 9, scale: 0.03, now: '2024-08-15T12:00:00Z' });
  const now = sim.nowMs;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  const cents = (x: number) => Number(x.toFixed(2)) === x;
  for (const e of ENTITY_NAMES) {
    for (const r of sim.records(e)) {
      assert.match(r.created_at, iso);
      assert.match(r.updated_at, iso);
      assert.ok(r.created_at <= r.updated_at, `${e} ${r.id} updated before created`);
    }
  }
  const activities = new Map(sim.records('activities').map((a) => [a.id, a]));
  const cancellations = new Map(sim.records('cancellations').map((c) => [c.booking_id, c]));
  assert.equal(cancellations.size, sim.counts().cancellations, 'at most one cancellation per booking');
  const payments = sim.records('payments');
  const paid = new Map<number, number>();
  const refunded = new Map<number, number>();
  for (const p of payments) {
    assert.ok(cents(p.amount), `payment ${p.id} amount ${p.amount}`);
    assert.ok(p.kind === 'refund' ? p.amount < 0 : p.amount > 0, `payment ${p.id}: ${p.kind} of ${p.amount}`);
    const into = p.kind === 'refund' ? refunded : paid;
    into.set(p.booking_id, (into.get(p.booking_id) ?? 0) + p.amount);
  }
  let completed = 0;
  for (const b of sim.records('bookings')) {
    assert.ok(sim.get('customers', b.customer_id), `booking ${b.id}: customer ${b.customer_id} exists`);
    assert.ok(sim.get('customers', b.customer_id)!.created_at <= b.created_at, `booking ${b.id} made before its customer signed up`);
    assert.ok(sim.get('parks', b.park_id), `booking ${b.id}: park ${b.park_id} exists`);
    const activity = activities.get(b.activity_id);
    assert.equal(activity?.park_id, b.park_id, `booking ${b.id}: activity ${b.activity_id} belongs to park ${b.park_id}`);
    assert.ok(cents(b.amount) && b.amount > 0, `booking ${b.id} amount ${b.amount}`);
    assert.ok(b.created_at < b.session_start, `booking ${b.id} made after its session started`);
    const sessionEnd = Date.parse(b.session_start) + activity.duration_minutes * 60_000;
    const cancellation = cancellations.get(b.id);
    if (b.status === 'cancelled') {
      assert.ok(cancellation, `cancelled booking ${b.id} has a cancellation record`);
      assert.equal(b.cancelled_at, cancellation.cancelled_at);
      assert.equal(b.updated_at, b.cancelled_at);
      assert.ok(cancellation.refund_amount <= (paid.get(b.id) ?? 0) + 1e-9, `booking ${b.id} refunds more than was paid`);
      assert.ok(-(refunded.get(b.id) ?? 0) <= cancellation.refund_amount + 1e-9);
    } else {
      assert.equal(b.cancelled_at, null);
      assert.equal(cancellation, undefined);
      assert.equal(refunded.get(b.id), undefined, `booking ${b.id} is refunded without being cancelled`);
    }
    if (b.status === 'completed') {
      completed++;
      assert.ok(Date.parse(b.updated_at) > sessionEnd, `booking ${b.id} completed before its session ended`);
      assert.ok(Math.abs((paid.get(b.id) ?? 0) - b.amount) < 1e-9, `completed booking ${b.id} paid ${paid.get(b.id)} of ${b.amount}`);
    }
    if (b.status === 'confirmed') assert.ok(sessionEnd + 2 * 3_600_000 > now, `booking ${b.id} is still confirmed long after its session`);
  }
  assert.ok(completed > 0 && cancellations.size > 0);
  const emails = sim.records('customers').map((c) => c.email.toLowerCase());
  assert.equal(new Set(emails).size, emails.length, 'e-mails are unique');
  for (const c of sim.records('customers')) {
    assert.match(c.email, /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[a-z]{2,}$/i);
    assert.match(c.phone, /^(0[1-9]( ?\d\d){4}|0[1-9](\.\d\d){4}|\+33 ?[1-9]( ?\d\d){4})$/, `customer ${c.id} phone ${c.phone}`);
    const age = (now - Date.parse(c.birth_date)) / (365.25 * DAY_MS);
    assert.ok(age >= 18 && age < 76, `customer ${c.id} is ${age.toFixed(1)} years old`);
  }
});

test('the clock cannot go back and options are checked', () => {
  const sim = createSimulator({ scale: 0.01, now: '2022-03-01T00:00:00Z' });
  assert.throws(() => sim.advanceTo('2022-02-01T00:00:00Z'), { name: 'SimulatorError', code: 'SIM_CLOCK' });
  assert.throws(() => sim.advanceDays(-1), { code: 'SIM_CLOCK' });
  assert.throws(() => sim.advanceTo('yesterday'), { code: 'SIM_CLOCK' });
  assert.throws(() => createSimulator({ scale: -1 }), { code: 'SIM_INVALID_OPTIONS', message: /scale/ });
  assert.throws(() => createSimulator({ now: 'tomorrow' }), { code: 'SIM_INVALID_OPTIONS', message: /now/ });
});
