import { sqlString as q } from '@strata/delta';
import { CoreError } from '../errors.ts';

/**
 * How an asset is split into partitions. Time windows are in UTC and keyed by their start:
 * `2026-06-01` (daily), `2026-06-01T13` (hourly), `2026-06` (monthly); static lists by value.
 * `column` names the table column the partition key maps to (used for replaceWhere).
 */
export type PartitionsDefinition =
  | { readonly kind: 'daily' | 'hourly' | 'monthly'; readonly start: string; readonly end?: string; readonly column: string }
  | { readonly kind: 'static'; readonly values: readonly string[]; readonly column: string };

const DAY = 86_400_000;
const HOUR = 3_600_000;

function parseKey(kind: 'daily' | 'hourly' | 'monthly', key: string): number {
  const re = kind === 'daily' ? /^(\d{4})-(\d{2})-(\d{2})$/ : kind === 'hourly' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/ : /^(\d{4})-(\d{2})$/;
  const m = re.exec(key);
  if (!m) {
    const shape = kind === 'daily' ? 'YYYY-MM-DD' : kind === 'hourly' ? 'YYYY-MM-DDTHH' : 'YYYY-MM';
    throw new CoreError('CORE_INVALID_PARTITION', `invalid ${kind} partition key "${key}": expected ${shape}`);
  }
  const [y, mo, d, h] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1), Number(m[4] ?? 0)];
  const t = Date.UTC(y, mo - 1, d, h);
  if (Number.isNaN(t) || new Date(t).getUTCMonth() !== mo - 1) throw new CoreError('CORE_INVALID_PARTITION', `invalid ${kind} partition key "${key}"`);
  return t;
}

function formatKey(kind: 'daily' | 'hourly' | 'monthly', t: number): string {
  const iso = new Date(t).toISOString();
  return kind === 'daily' ? iso.slice(0, 10) : kind === 'hourly' ? iso.slice(0, 13) : iso.slice(0, 7);
}

function next(kind: 'daily' | 'hourly' | 'monthly', t: number): number {
  if (kind === 'daily') return t + DAY;
  if (kind === 'hourly') return t + HOUR;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The partition key containing an instant (for time windows). */
export function partitionKeyAt(def: PartitionsDefinition, at: Date): string {
  if (def.kind === 'static') throw new CoreError('CORE_INVALID_PARTITION', 'static partitions have no time');
  const d = at;
  const t =
    def.kind === 'daily'
      ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
      : def.kind === 'hourly'
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours())
        : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return formatKey(def.kind, t);
}

/**
 * The partition keys from `from` to `to` inclusive (both keys of the definition), bounded by the
 * definition's start and end (or `now` for the last complete window when no end is set).
 */
export function partitionKeys(def: PartitionsDefinition, range: { from?: string; to?: string } = {}, now = new Date()): string[] {
  if (def.kind === 'static') {
    const values = [...def.values];
    const from = range.from === undefined ? 0 : values.indexOf(range.from);
    const to = range.to === undefined ? values.length - 1 : values.indexOf(range.to);
    if (from < 0 || to < 0) throw new CoreError('CORE_INVALID_PARTITION', `unknown partition "${from < 0 ? range.from : range.to}"; partitions are ${values.join(', ')}`);
    return values.slice(from, to + 1);
  }
  const start = parseKey(def.kind, def.start);
  const last = def.end !== undefined ? parseKey(def.kind, def.end) : parseKey(def.kind, partitionKeyAt(def, now));
  const lo = Math.max(start, range.from === undefined ? start : parseKey(def.kind, range.from));
  const hi = Math.min(last, range.to === undefined ? last : parseKey(def.kind, range.to));
  const out: string[] = [];
  for (let t = lo; t <= hi; t = next(def.kind, t)) out.push(formatKey(def.kind, t));
  return out;
}

/** Checks a key belongs to the definition. */
export function assertPartitionKey(def: PartitionsDefinition, key: string): void {
  if (def.kind === 'static') {
    if (!def.values.includes(key)) throw new CoreError('CORE_INVALID_PARTITION', `unknown partition "${key}"; partitions are ${def.values.join(', ')}`);
    return;
  }
  const t = parseKey(def.kind, key);
  if (t < parseKey(def.kind, def.start)) throw new CoreError('CORE_INVALID_PARTITION', `partition "${key}" is before the start ${def.start}`);
}

/** The half-open time range of a time-window partition, or undefined for static partitions. */
export function partitionWindow(def: PartitionsDefinition, key: string): { start: Date; end: Date } | undefined {
  if (def.kind === 'static') return undefined;
  const lo = parseKey(def.kind, key);
  return { start: new Date(lo), end: new Date(next(def.kind, lo)) };
}

/** The SQL predicate selecting one partition's rows in the table (for replaceWhere). */
export function partitionPredicate(def: PartitionsDefinition, key: string): string {
  const col = `"${def.column.replaceAll('"', '""')}"`;
  if (def.kind === 'static') return `${col} = ${q(key)}`;
  const lo = parseKey(def.kind, key);
  const hi = next(def.kind, lo);
  const ts = (t: number) => `TIMESTAMPTZ ${q(new Date(t).toISOString())}`;
  return `${col} >= ${ts(lo)} AND ${col} < ${ts(hi)}`;
}
