import { z } from 'zod';
import { dayOf } from './calendar.ts';
import { hash32, tag, unitHash } from './random.ts';
import type { BaseRecord, EntityName } from './records.ts';
import { SimulatorError } from './errors.ts';

const rate = z.number().min(0).max(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * Faults the API can inject, all off by default and all decided from the seed and the request or
 * record they apply to, so a scenario replays the same way.
 */
export const faultSettingsSchema = z.strictObject({
  /** Each request starts, with probability `rate`, a burst of `burst` consecutive 429 responses. */
  throttle: z.strictObject({ rate, burst: z.number().int().min(1).max(1000), retryAfterSeconds: z.number().int().min(0).max(3600) }),
  /** Each request fails with 500, 502 or 503 with probability `rate`. */
  serverErrors: z.strictObject({ rate }),
  /** Each request is delayed by `delayMs` with probability `rate`. */
  slowPages: z.strictObject({ rate, delayMs: z.number().int().min(0).max(60_000) }),
  /** Data-quality faults applied to served records; the stored records stay correct. */
  data: z.strictObject({
    /** Share of records served twice in a row. */
    duplicateRate: rate,
    /** Share of bookings and payments (not refunds) served with the sign of their amount flipped. */
    negativeAmountRate: rate,
    /** Share of bookings served with a `park_id` no park has. */
    unknownParkRate: rate,
    /** Paris dates whose records (by `created_at`) are not served at all. */
    missingDays: z.array(isoDate),
  }),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** A change to some fault settings; what it does not mention stays as it was. */
export const faultPatchSchema = z.strictObject({
  throttle: faultSettingsSchema.shape.throttle.partial().optional(),
  serverErrors: faultSettingsSchema.shape.serverErrors.partial().optional(),
  slowPages: faultSettingsSchema.shape.slowPages.partial().optional(),
  data: faultSettingsSchema.shape.data.partial().optional(),
});

export type FaultPatch = z.infer<typeof faultPatchSchema>;

export const NO_FAULTS: FaultSettings = {
  throttle: { rate: 0, burst: 3, retryAfterSeconds: 1 },
  serverErrors: { rate: 0 },
  slowPages: { rate: 0, delayMs: 500 },
  data: { duplicateRate: 0, negativeAmountRate: 0, unknownParkRate: 0, missingDays: [] },
};

/** Validates a fault patch; `where` names its origin in the error. */
export function parseFaultPatch(value: unknown, where: string): FaultPatch {
  const parsed = faultPatchSchema.safeParse(value);
  if (!parsed.success) throw new SimulatorError('SIM_INVALID_REQUEST', `invalid fault settings in ${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function mergeFaults(current: FaultSettings, p: FaultPatch): FaultSettings {
  return {
    throttle: { ...current.throttle, ...p.throttle },
    serverErrors: { ...current.serverErrors, ...p.serverErrors },
    slowPages: { ...current.slowPages, ...p.slowPages },
    data: { ...current.data, ...p.data },
  };
}

/** Park id served by the "unknown park" fault: no park has it. */
export const UNKNOWN_PARK_ID = 9999;

/** How the data faults apply to the records of one read. */
export class DataFaults {
  private readonly missing: ReadonlySet<number>;
  private readonly entityTag: number;

  constructor(
    private readonly seed: number,
    private readonly entity: EntityName,
    private readonly settings: FaultSettings['data'],
  ) {
    this.missing = new Set(settings.missingDays.map(dayOf));
    this.entityTag = tag(entity);
  }

  get active(): boolean {
    const s = this.settings;
    return s.duplicateRate > 0 || s.negativeAmountRate > 0 || s.unknownParkRate > 0 || this.missing.size > 0;
  }

  hidden(createdDay: number): boolean {
    return this.missing.has(createdDay);
  }

  duplicated(record: BaseRecord, updatedMs: number): boolean {
    return this.settings.duplicateRate > 0 && unitHash(this.seed, tag('duplicate'), this.entityTag, record.id, updatedMs) < this.settings.duplicateRate;
  }

  /** The record as served: the same object when no fault touches it. */
  distort<T extends BaseRecord>(record: T): T {
    const { negativeAmountRate, unknownParkRate } = this.settings;
    let out: T = record;
    const amount = (record as { amount?: unknown }).amount;
    const isRefund = (record as { kind?: unknown }).kind === 'refund';
    if (negativeAmountRate > 0 && typeof amount === 'number' && amount > 0 && !isRefund && unitHash(this.seed, tag('negative'), this.entityTag, record.id) < negativeAmountRate) {
      out = { ...out, amount: -amount };
    }
    if (unknownParkRate > 0 && this.entity === 'bookings' && unitHash(this.seed, tag('unknown-park'), record.id) < unknownParkRate) {
      out = { ...out, park_id: UNKNOWN_PARK_ID };
    }
    return out;
  }
}

export type RequestFault =
  | { readonly kind: 'throttle'; readonly retryAfterSeconds: number }
  | { readonly kind: 'error'; readonly status: 500 | 502 | 503 }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'none' };

/**
 * Decides the fault of each API request from the seed and the request's number, so the n-th request
 * of a run always gets the same answer for the same settings.
 */
export class RequestFaults {
  private count = 0;
  private burstLeft = 0;

  constructor(private readonly seed: number) {}

  /** Requests decided so far. */
  get requests(): number {
    return this.count;
  }

  next(settings: FaultSettings): RequestFault {
    const n = ++this.count;
    const { throttle, serverErrors, slowPages } = settings;
    if (throttle.rate === 0) this.burstLeft = 0;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      return { kind: 'throttle', retryAfterSeconds: throttle.retryAfterSeconds };
    }
    if (throttle.rate > 0 && unitHash(this.seed, tag('429'), n) < throttle.rate) {
      this.burstLeft = throttle.burst - 1;
      return { kind: 'throttle', retryAfterSeconds: throttle.retryAfterSeconds };
    }
    if (serverErrors.rate > 0 && unitHash(this.seed, tag('5xx'), n) < serverErrors.rate) {
      return { kind: 'error', status: ([500, 502, 503] as const)[hash32(this.seed, tag('5xx-status'), n) % 3] ?? 500 };
    }
    if (slowPages.rate > 0 && unitHash(this.seed, tag('slow'), n) < slowPages.rate) return { kind: 'slow', delayMs: slowPages.delayMs };
    return { kind: 'none' };
  }
}
