import { parisDayOf } from './calendar.ts';
import type { Offer } from './catalog.ts';
import { EventQueue } from './event-queue.ts';
import type { NewEvent, SimEvent } from './events.ts';
import { RecordLog } from './record-log.ts';
import type { Booking, EntityName, EntityRecords, PaymentMethod } from './records.ts';
import { ENTITY_NAMES } from './records.ts';

export type EntityCounts = Record<EntityName, number>;

const zeroCounts = (): EntityCounts => ({ parks: 0, activities: 0, customers: 0, bookings: 0, payments: 0, cancellations: 0 });

/** What the back office knows about an activity beyond its record. */
export interface ActivityState {
  readonly id: number;
  readonly parkId: number;
  readonly offer: Offer;
  priceCents: number;
  active: boolean;
}

/** Money and schedule of a booking that is still open (neither completed nor cancelled). */
export interface BookingState {
  readonly sessionStart: number;
  readonly amountCents: number;
  readonly method: PaymentMethod;
  paidCents: number;
}

type Logs = { readonly [E in EntityName]: RecordLog<EntityRecords[E]> };

/**
 * The state of the simulated back office: the records as served, the events still to come and the
 * bookkeeping needed to apply them. Every record write goes through `write`.
 */
export class World {
  readonly logs: Logs = {
    parks: new RecordLog(),
    activities: new RecordLog(),
    customers: new RecordLog(),
    bookings: new RecordLog(),
    payments: new RecordLog(),
    cancellations: new RecordLog(),
  };
  /** Bookings of each park, for `/parks/:id/bookings`. */
  readonly bookingsByPark = new Map<number, RecordLog<Booking>>();
  readonly queue = new EventQueue<SimEvent>();
  readonly activities = new Map<number, ActivityState>();
  readonly openBookings = new Map<number, BookingState>();
  /** Customers who have booked at each park: the pool returning customers come from. */
  readonly regulars = new Map<number, { list: number[]; set: Set<number> }>();
  readonly emails = new Set<string>();
  /** Records created since `startCounting`, and records that existed then and changed since. */
  created: EntityCounts = zeroCounts();
  updated: EntityCounts = zeroCounts();
  private countingFrom = '';
  private touched = new Set<string>();
  private seq = 0;
  private readonly lastIds: EntityCounts = zeroCounts();

  constructor(
    readonly seed: number,
    readonly scale: number,
  ) {}

  schedule(event: NewEvent): void {
    // Set in place rather than copied: millions of events go through here.
    (event as { seq?: number }).seq = this.seq++;
    this.queue.push(event as SimEvent);
  }

  nextId(entity: EntityName): number {
    return ++this.lastIds[entity];
  }

  /** Stores a new record or a new version of one; `atMs` is its `updated_at`. */
  write<E extends EntityName>(entity: E, record: EntityRecords[E], atMs: number): void {
    const log = this.logs[entity] as RecordLog<EntityRecords[E]>;
    const createdDay = () => parisDayOf(Date.parse(record.created_at));
    const isNew = log.put(record, atMs, createdDay);
    if (entity === 'bookings') {
      const booking = record as Booking;
      let byPark = this.bookingsByPark.get(booking.park_id);
      if (!byPark) this.bookingsByPark.set(booking.park_id, (byPark = new RecordLog()));
      byPark.put(booking, atMs, createdDay);
    }
    if (isNew) this.created[entity]++;
    else if (record.created_at <= this.countingFrom && !this.touched.has(`${entity}:${record.id}`)) {
      this.touched.add(`${entity}:${record.id}`);
      this.updated[entity]++;
    }
  }

  /** Resets `created` and `updated`; records created up to `fromIso` count as updated when they change. */
  startCounting(fromIso: string): void {
    this.created = zeroCounts();
    this.updated = zeroCounts();
    this.countingFrom = fromIso;
    this.touched = new Set();
  }

  activeActivities(parkId: number): ActivityState[] {
    const out: ActivityState[] = [];
    for (const a of this.activities.values()) if (a.parkId === parkId && a.active) out.push(a);
    return out;
  }

  addRegular(parkId: number, customerId: number): void {
    let pool = this.regulars.get(parkId);
    if (!pool) this.regulars.set(parkId, (pool = { list: [], set: new Set() }));
    if (!pool.set.has(customerId)) {
      pool.set.add(customerId);
      pool.list.push(customerId);
    }
  }

  counts(): EntityCounts {
    const counts = zeroCounts();
    for (const entity of ENTITY_NAMES) counts[entity] = this.logs[entity].size;
    return counts;
  }
}
