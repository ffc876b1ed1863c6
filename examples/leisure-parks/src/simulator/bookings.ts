import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf, isoTimestamp, parisDayOf, parisTime } from './calendar.ts';
import { PARK_SITES } from './catalog.ts';
import { createCustomer, updateCustomer } from './customers.ts';
import { expectedBookings, isStormDay } from './demand.ts';
import { creationDay, siteAsOf } from './dimensions.ts';
import type { SimEvent } from './events.ts';
import { Rng, hash32, tag } from './random.ts';
import type { Booking, CancellationReason, PaymentMethod } from './records.ts';
import { euros } from './records.ts';
import type { World } from './world.ts';

/** Bookings are made at most this many days ahead of the session. */
export const MAX_LEAD_DAYS = 60;
const RETURNING_SHARE = 0.4;
/** Paris time at which the staff cancel a stormy day's sessions. */
const STORM_CALL_MINUTES = 7 * 60 + 30;
/** Cancelled at least this long before the session, a booking is refunded in full; otherwise half. */
const FULL_REFUND_NOTICE_MS = 48 * HOUR_MS;
const FULL_REFUND_REASONS: readonly CancellationReason[] = ['weather', 'illness', 'duplicate_booking'];

const seconds = (rng: Rng, min: number, max: number) => rng.int(min, max) * 1000;

/**
 * Schedules the demand for sessions on `day`: how many people book each park, for which slot and
 * how many days ahead. Called once per day, `MAX_LEAD_DAYS` before it (or at the start).
 */
export function scheduleSessionDay(world: World, day: number, startDay: number, startMs: number): void {
  for (const site of PARK_SITES) {
    const firstDay = Math.max(creationDay(site, startDay), dayOf(site.openedOn));
    if (day < firstDay) continue;
    const { capacity } = siteAsOf(site, day);
    const rng = new Rng(hash32(world.seed, tag('sessions'), site.id, day));
    const count = rng.poisson(expectedBookings(world.seed, site.id, capacity, day, world.scale));
    for (let i = 0; i < count; i++) {
      // Afternoons are the busiest; the last session starts at 18:30.
      const hour = rng.weighted([9, 10, 11, 12, 13, 14, 15, 16, 17, 18], (h) => (h < 12 ? 2 : h < 14 ? 1.5 : 3));
      const sessionStart = parisTime(day, hour * 60 + (rng.chance(0.5) ? 30 : 0));
      const r = rng.next();
      let lead = r < 0.12 ? 0 : r < 0.42 ? rng.int(1, 3) : r < 0.75 ? rng.int(4, 14) : rng.int(15, MAX_LEAD_DAYS);
      lead = Math.min(lead, day - startDay);
      // People book between 07:00 and 23:30; on the day itself, at least 90 minutes before the session.
      const morning = parisTime(day - lead, 7 * 60);
      const window = lead === 0 ? (sessionStart - morning - 90 * MINUTE_MS) / 1000 : 16.5 * 3600;
      const at = morning + seconds(rng, 0, window);
      world.schedule({ kind: 'demand', parkId: site.id, sessionStart, seed: hash32(world.seed, tag('booking'), site.id, day, i), at: Math.max(at, startMs) });
    }
  }
}

type BookingEvent = Extract<SimEvent, { kind: 'demand' | 'booking' | 'payment' | 'cancel' | 'complete' | 'refund' | 'customer-update' }>;

export function applyBookingEvent(world: World, event: BookingEvent): void {
  switch (event.kind) {
    case 'demand':
      return demand(world, event);
    case 'booking':
      return book(world, event);
    case 'payment':
      return pay(world, event.bookingId, event.method, event.at);
    case 'cancel':
      return cancel(world, event.bookingId, event.reason, event.at);
    case 'complete':
      return complete(world, event.bookingId, event.at);
    case 'refund':
      return refund(world, event.bookingId, event.cents, event.method, event.at);
    case 'customer-update':
      return updateCustomer(world, new Rng(event.seed), event.customerId, event.at);
  }
}

function demand(world: World, event: Extract<SimEvent, { kind: 'demand' }>): void {
  const day = parisDayOf(event.sessionStart);
  // Nothing on sale yet, or the park already closed the day for a storm.
  if (world.activeActivities(event.parkId).length === 0) return;
  if (isStormDay(world.seed, event.parkId, day) && event.at >= parisTime(day, STORM_CALL_MINUTES)) return;
  const rng = new Rng(event.seed);
  const customers = world.logs.customers.size;
  let customerId: number;
  if (customers > 0 && rng.chance(RETURNING_SHARE)) {
    const regulars = world.regulars.get(event.parkId)?.list ?? [];
    customerId = regulars.length > 0 && rng.chance(0.8) ? rng.pick(regulars) : rng.int(1, customers);
  } else {
    customerId = createCustomer(world, rng, event.parkId, event.at);
  }
  const at = event.at + seconds(rng, 60, 900);
  world.schedule({ kind: 'booking', parkId: event.parkId, sessionStart: event.sessionStart, customerId, seed: rng.int(0, 0xffffffff), at });
}

function participantsOf(rng: Rng): number {
  const r = rng.next();
  if (r < 0.35) return 1;
  if (r < 0.65) return 2;
  if (r < 0.75) return 3;
  if (r < 0.87) return 4;
  if (r < 0.92) return 5;
  return rng.int(6, 12);
}

function book(world: World, event: Extract<SimEvent, { kind: 'booking' }>): void {
  const rng = new Rng(event.seed);
  const offers = world.activeActivities(event.parkId);
  if (offers.length === 0) return;
  const activity = rng.weighted(offers, (a) => a.offer.popularity);
  const participants = participantsOf(rng);
  // Groups of six or more get 10 % off.
  const amountCents = Math.round(activity.priceCents * participants * (participants >= 6 ? 0.9 : 1));
  const now = isoTimestamp(event.at);
  const booking: Booking = {
    id: world.nextId('bookings'),
    customer_id: event.customerId,
    park_id: event.parkId,
    activity_id: activity.id,
    session_start: isoTimestamp(event.sessionStart),
    participants,
    amount: euros(amountCents),
    currency: 'EUR',
    status: 'confirmed',
    cancelled_at: null,
    created_at: now,
    updated_at: now,
  };
  world.write('bookings', booking, event.at);
  world.addRegular(event.parkId, event.customerId);

  const lead = event.sessionStart - event.at;
  let method: PaymentMethod;
  let paidAt: number;
  const r = rng.next();
  if (participants >= 6 && lead > 3 * DAY_MS && rng.chance(0.5)) {
    method = 'transfer';
    paidAt = event.at + seconds(rng, 20 * 3600, Math.min(5 * 86_400, (lead - DAY_MS) / 1000));
  } else if (r < 0.7) {
    method = r < 0.62 ? 'card' : 'voucher';
    paidAt = event.at + seconds(rng, 20, 120);
  } else {
    method = rng.chance(0.45) ? 'cash' : 'card';
    paidAt = event.sessionStart - seconds(rng, 5 * 60, 25 * 60);
  }
  world.openBookings.set(booking.id, { sessionStart: event.sessionStart, amountCents, method, paidCents: 0 });
  world.schedule({ kind: 'payment', bookingId: booking.id, method, at: paidAt });

  const day = parisDayOf(event.sessionStart);
  const stormCall = parisTime(day, STORM_CALL_MINUTES) + seconds(rng, 0, 40 * 60);
  const cancelChance = 0.05 + (lead > 14 * DAY_MS ? 0.05 : 0) + (lead > 30 * DAY_MS ? 0.03 : 0);
  if (isStormDay(world.seed, event.parkId, day) && event.at < stormCall) {
    world.schedule({ kind: 'cancel', bookingId: booking.id, reason: 'weather', at: stormCall });
  } else if (rng.chance(cancelChance)) {
    const reason = rng.weighted(
      [['customer_request', 55], ['illness', 20], ['schedule_change', 20], ['duplicate_booking', 5]] as const,
      ([, w]) => w,
    )[0];
    const earliest = event.at + 10 * MINUTE_MS;
    const latest = event.sessionStart - 30 * MINUTE_MS;
    if (reason === 'duplicate_booking') {
      world.schedule({ kind: 'cancel', bookingId: booking.id, reason, at: Math.min(latest, event.at + seconds(rng, 5 * 60, 60 * 60)) });
    } else if (latest > earliest) {
      world.schedule({ kind: 'cancel', bookingId: booking.id, reason, at: earliest + seconds(rng, 0, (latest - earliest) / 1000) });
    }
  }
  const sessionEnd = event.sessionStart + activity.offer.durationMinutes * MINUTE_MS;
  world.schedule({ kind: 'complete', bookingId: booking.id, at: sessionEnd + seconds(rng, 10 * 60, 120 * 60) });
}

function pay(world: World, bookingId: number, method: PaymentMethod, at: number): void {
  const open = world.openBookings.get(bookingId);
  // A cancelled booking is never paid on site or by a late transfer.
  if (!open) return;
  open.paidCents += open.amountCents;
  const now = isoTimestamp(at);
  world.write(
    'payments',
    { id: world.nextId('payments'), booking_id: bookingId, kind: 'payment', amount: euros(open.amountCents), currency: 'EUR', method, paid_at: now, created_at: now, updated_at: now },
    at,
  );
}

function cancel(world: World, bookingId: number, reason: CancellationReason, at: number): void {
  const open = world.openBookings.get(bookingId);
  const booking = world.logs.bookings.get(bookingId);
  if (!open || !booking || booking.status !== 'confirmed') return;
  world.openBookings.delete(bookingId);
  const fullRefund = FULL_REFUND_REASONS.includes(reason) || open.sessionStart - at >= FULL_REFUND_NOTICE_MS;
  const refundCents = Math.round(open.paidCents * (fullRefund ? 1 : 0.5));
  const now = isoTimestamp(at);
  world.write(
    'cancellations',
    {
      id: world.nextId('cancellations'), booking_id: bookingId, cancelled_at: now, reason,
      cancelled_by: reason === 'weather' ? 'operator' : 'customer', refund_amount: euros(refundCents), currency: 'EUR',
      created_at: now, updated_at: now,
    },
    at,
  );
  world.write('bookings', { ...booking, status: 'cancelled', cancelled_at: now, updated_at: now }, at);
  if (refundCents > 0) {
    // Vouchers are re-credited at once; card and transfer refunds take days to go through.
    const rng = new Rng(hash32(world.seed, tag('refund'), bookingId));
    const delay = open.method === 'voucher' ? seconds(rng, 60, 600) : seconds(rng, 86_400, (open.method === 'transfer' ? 5 : 3) * 86_400);
    world.schedule({ kind: 'refund', bookingId, cents: refundCents, method: open.method, at: at + delay });
  }
}

function complete(world: World, bookingId: number, at: number): void {
  const booking = world.logs.bookings.get(bookingId);
  if (!booking || booking.status !== 'confirmed') return;
  world.openBookings.delete(bookingId);
  world.write('bookings', { ...booking, status: 'completed', updated_at: isoTimestamp(at) }, at);
}

function refund(world: World, bookingId: number, cents: number, method: PaymentMethod, at: number): void {
  const now = isoTimestamp(at);
  world.write(
    'payments',
    { id: world.nextId('payments'), booking_id: bookingId, kind: 'refund', amount: -euros(cents), currency: 'EUR', method, paid_at: now, created_at: now, updated_at: now },
    at,
  );
}
