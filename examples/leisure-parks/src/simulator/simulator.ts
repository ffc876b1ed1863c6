import { z } from 'zod';
import { DAY_MS, dayOf, isoTimestamp, parisTime } from './calendar.ts';
import { MAX_LEAD_DAYS, applyBookingEvent, scheduleSessionDay } from './bookings.ts';
import { applyDimensionEvent, scheduleDimensionChanges } from './dimensions.ts';
import { SimulatorError } from './errors.ts';
import type { FaultPatch, FaultSettings } from './faults.ts';
import { DataFaults, NO_FAULTS, faultPatchSchema, mergeFaults, parseFaultPatch } from './faults.ts';
import type { ListQuery, Page } from './page.ts';
import type { RecordLog } from './record-log.ts';
import { pageJson, readPage, servedRecord } from './page.ts';
import type { EntityName, EntityRecords } from './records.ts';
import type { EntityCounts } from './world.ts';
import { World } from './world.ts';

const instant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time');

export const simulatorOptionsSchema = z.strictObject({
  /** Seed of every random choice: the same seed gives the same data. */
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  /** First day of the history (Paris date). */
  start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').default('2022-01-01'),
  /** The simulated "now": history is generated up to this instant. */
  now: instant.default('2025-06-30T22:00:00Z'),
  /** Multiplies booking volumes; 1 gives about 150,000 bookings from 2022 to mid-2025. */
  scale: z.number().positive().max(20).default(1),
  /** Faults to start with (all off when absent). */
  faults: faultPatchSchema.optional(),
});

export type SimulatorOptions = z.input<typeof simulatorOptionsSchema>;

/** What one clock move produced: records created, and records created before it that changed (each counted once). */
export interface AdvanceResult {
  readonly from: string;
  readonly to: string;
  readonly created: EntityCounts;
  readonly updated: EntityCounts;
}

/** A list page as plain records, with data faults applied as the API serves them. */
export interface ListResult<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}

/**
 * The simulated back office: its records, clock and faults. Records and their changes are a pure
 * function of (seed, start, scale, now): advancing the clock in steps gives the same records as
 * creating the simulator at the later instant.
 */
export interface Simulator {
  readonly seed: number;
  readonly scale: number;
  /** ISO instant of the first day of the history. */
  readonly start: string;
  /** The simulated now (ISO 8601 UTC). */
  readonly now: string;
  readonly nowMs: number;
  /** Moves the clock forward by `days` (fractions allowed), applying everything that happens meanwhile. */
  advanceDays(days: number): AdvanceResult;
  /** Moves the clock forward to an instant. */
  advanceTo(instant: string | Date): AdvanceResult;
  /** Current number of records per entity. */
  counts(): EntityCounts;
  /** A record as stored (no data faults). */
  get<E extends EntityName>(entity: E, id: number): EntityRecords[E] | undefined;
  /** All current records as stored, ordered by (updated_at, id). */
  records<E extends EntityName>(entity: E): EntityRecords[E][];
  /** A page as the API serves it; `parkId` restricts bookings to one park (the child route). */
  list<E extends EntityName>(entity: E, query?: ListQuery & { parkId?: number }): ListResult<EntityRecords[E]>;
  /** The same page as the JSON response body. */
  listJson<E extends EntityName>(entity: E, query?: ListQuery & { parkId?: number }): string;
  readonly faults: FaultSettings;
  /** Changes some fault settings; returns the new settings. */
  setFaults(patch: FaultPatch): FaultSettings;
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const parsed = simulatorOptionsSchema.safeParse(options);
  if (!parsed.success) throw new SimulatorError('SIM_INVALID_OPTIONS', `invalid simulator options: ${z.prettifyError(parsed.error)}`);
  const { seed, start, now, scale } = parsed.data;
  let faults = mergeFaults(NO_FAULTS, parsed.data.faults ?? {});

  const world = new World(seed, scale);
  const startDay = dayOf(start);
  const startMs = parisTime(startDay, 0);
  if (Date.parse(now) < startMs) throw new SimulatorError('SIM_INVALID_OPTIONS', `invalid simulator options: now (${now}) is before the start (${start})`);
  let nowMs = startMs;
  /** The last day whose changes and sessions are scheduled. */
  let preparedDay = startDay - 1;
  let sessionsThrough = startDay - 1;

  function prepare(day: number): void {
    scheduleDimensionChanges(world, day, startDay, startMs);
    while (sessionsThrough < day + MAX_LEAD_DAYS) scheduleSessionDay(world, ++sessionsThrough, startDay, startMs);
    preparedDay = day;
  }

  function advanceTo(target: number): AdvanceResult {
    if (!Number.isFinite(target)) throw new SimulatorError('SIM_CLOCK', 'the clock can only move to a valid instant');
    if (target < nowMs) throw new SimulatorError('SIM_CLOCK', `the clock cannot move back from ${isoTimestamp(nowMs)} to ${isoTimestamp(target)}`);
    const from = nowMs;
    world.startCounting(isoTimestamp(from));
    for (let day = Math.max(preparedDay, startDay); ; day++) {
      if (day > preparedDay) prepare(day);
      // Day by day, so that each day's sessions are scheduled before any of that day's events run.
      const until = Math.min(target, parisTime(day + 1, 0) - 1);
      for (let event = world.queue.popDue(until); event; event = world.queue.popDue(until)) {
        switch (event.kind) {
          case 'park-created':
          case 'offers-added':
          case 'price-review':
          case 'scripted':
            applyDimensionEvent(world, event);
            break;
          default:
            applyBookingEvent(world, event);
        }
      }
      if (until === target) break;
    }
    nowMs = target;
    return { from: isoTimestamp(from), to: isoTimestamp(target), created: world.created, updated: world.updated };
  }

  function page<E extends EntityName>(entity: E, query: ListQuery & { parkId?: number }): Page<EntityRecords[E]> {
    const data = new DataFaults(seed, entity, faults.data);
    if (query.parkId === undefined) return readPage(world.logs[entity] as RecordLog<EntityRecords[E]>, query, data);
    const parkId = query.parkId;
    if (entity !== 'bookings') throw new SimulatorError('SIM_NOT_FOUND', `only bookings can be listed per park, not ${entity}`);
    if (!world.logs.parks.get(parkId)) throw new SimulatorError('SIM_NOT_FOUND', `no park with id ${parkId}`);
    const log = world.bookingsByPark.get(parkId);
    if (!log) return { items: [], nextCursor: null };
    return readPage(log, query, data, (b) => b.park_id === parkId) as Page<EntityRecords[E]>;
  }

  advanceTo(Date.parse(now));

  return {
    seed,
    scale,
    start: isoTimestamp(startMs),
    get now() {
      return isoTimestamp(nowMs);
    },
    get nowMs() {
      return nowMs;
    },
    advanceDays(days: number) {
      if (!Number.isFinite(days) || days < 0) throw new SimulatorError('SIM_CLOCK', `days must be a number >= 0, got ${String(days)}`);
      return advanceTo(nowMs + Math.round((days * DAY_MS) / 1000) * 1000);
    },
    advanceTo(instant: string | Date) {
      const ms = typeof instant === 'string' ? (/^\d{4}-\d{2}-\d{2}/.test(instant) ? Date.parse(instant) : NaN) : instant.getTime();
      if (Number.isNaN(ms)) throw new SimulatorError('SIM_CLOCK', `"${String(instant)}" is not an ISO 8601 instant`);
      return advanceTo(ms);
    },
    counts: () => world.counts(),
    get: <E extends EntityName>(entity: E, id: number) => (world.logs[entity] as RecordLog<EntityRecords[E]>).get(id),
    records: <E extends EntityName>(entity: E) => [...(world.logs[entity] as RecordLog<EntityRecords[E]>).records()],
    list(entity, query = {}) {
      const p = page(entity, query);
      return { data: p.items.map(servedRecord), next_cursor: p.nextCursor };
    },
    listJson: (entity, query = {}) => pageJson(page(entity, query)),
    get faults() {
      return faults;
    },
    setFaults(patch: FaultPatch) {
      faults = mergeFaults(faults, parseFaultPatch(patch, 'setFaults'));
      return faults;
    },
  };
}

