import type { IncrementalConfig } from './config.ts';
import { valueAt } from './records.ts';

/** A cursor value: an ISO timestamp or a number, as found in the records. */
export type CursorValue = string | number;

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** The cursor value of a record's field, or undefined when absent or neither a number nor a timestamp. */
export function cursorOf(record: Readonly<Record<string, unknown>>, field: string): CursorValue | undefined {
  const value = valueAt(record, field);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && (NUMERIC.test(value) || !Number.isNaN(Date.parse(value)))) return value;
  return undefined;
}

/** Compares cursor values as numbers when both are numeric, else as timestamps, else as text. */
export function compareCursors(a: CursorValue, b: CursorValue): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return Math.sign(na - nb);
  const ta = typeof a === 'string' ? Date.parse(a) : Number.NaN;
  const tb = typeof b === 'string' ? Date.parse(b) : Number.NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return Math.sign(ta - tb);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The larger of two optional cursor values. */
export function maxCursor(a: CursorValue | undefined, b: CursorValue | undefined): CursorValue | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareCursors(b, a) > 0 ? b : a;
}

/** The largest cursor value among `records`, or `current` when none is larger. */
export function maxOfRecords(records: readonly Readonly<Record<string, unknown>>[], field: string, current: CursorValue | undefined): CursorValue | undefined {
  let max = current;
  for (const record of records) max = maxCursor(max, cursorOf(record, field));
  return max;
}

/**
 * Where a new run starts: the stored watermark minus `lookback_seconds` (a timestamp moved back, in
 * UTC, keeping whole seconds when the watermark had them; a number decreased), or `start` on the
 * first run; undefined when there is neither (the run is not filtered).
 */
export function runStart(config: IncrementalConfig, watermark: CursorValue | undefined): CursorValue | undefined {
  if (watermark === undefined) return config.start;
  const lookback = config.lookback_seconds;
  if (lookback === 0) return watermark;
  if (typeof watermark === 'number') return watermark - lookback;
  if (NUMERIC.test(watermark)) return String(Number(watermark) - lookback);
  const t = Date.parse(watermark);
  if (Number.isNaN(t)) return watermark;
  const iso = new Date(t - lookback * 1000).toISOString();
  return /T\d{2}:\d{2}:\d{2}(?:[Z+-]|$)/.test(watermark) ? iso.replace(/\.000Z$/, 'Z') : iso;
}

function asNumber(v: CursorValue): number | undefined {
  if (typeof v === 'number') return v;
  return NUMERIC.test(v) ? Number(v) : undefined;
}
