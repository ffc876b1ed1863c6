import { SimulatorError } from './errors.ts';
import type { DataFaults } from './faults.ts';
import type { LogEntry, LogKey, RecordLog } from './record-log.ts';
import type { BaseRecord } from './records.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A list request: records with updated_at >= `updatedSince`, after `cursor`, at most `limit`. */
export interface ListQuery {
  /** ISO 8601 instant. */
  readonly updatedSince?: string;
  /** `next_cursor` of the previous page. */
  readonly cursor?: string;
  /** 1 to 1000; 100 when absent. */
  readonly limit?: number;
}

export interface PageItem<T extends BaseRecord> {
  readonly entry: LogEntry<T>;
  /** The record as served when a data fault changed it. */
  readonly distorted: T | undefined;
}

export interface Page<T extends BaseRecord> {
  readonly items: readonly PageItem<T>[];
  readonly nextCursor: string | null;
}

/** The cursor of a position: opaque to clients, base64url of `v1:<updated ms>:<id>`. */
export function encodeCursor(key: LogKey): string {
  return Buffer.from(`v1:${key.ms}:${key.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): LogKey {
  const m = /^v1:(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new SimulatorError('SIM_INVALID_REQUEST', `cursor "${cursor}" is not a cursor returned by this API`);
  return { ms: Number(m[1]), id: Number(m[2]) };
}

function parseSince(value: string): number {
  // Date.parse accepts far more than ISO 8601; insist on a date with at least a day.
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new SimulatorError('SIM_INVALID_REQUEST', `updated_since "${value}" is not an ISO 8601 date-time (e.g. 2024-07-01T00:00:00Z)`);
  return ms;
}

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new SimulatorError('SIM_INVALID_REQUEST', `limit must be an integer from 1 to ${MAX_LIMIT}, got ${String(limit)}`);
  }
  return limit;
}

/**
 * Reads one page in (updated_at, id) order. `keep` filters the records as served (the park of a child
 * route). While nothing is written, following `nextCursor` returns every matching record exactly once.
 */
export function readPage<T extends BaseRecord>(log: RecordLog<T>, query: ListQuery, faults: DataFaults, keep?: (served: T) => boolean): Page<T> {
  const limit = checkLimit(query.limit);
  let index = query.updatedSince === undefined ? 0 : log.firstAtOrAfter(parseSince(query.updatedSince));
  if (query.cursor !== undefined) index = Math.max(index, log.firstAfter(decodeCursor(query.cursor)));
  const faulty = faults.active;
  const items: PageItem<T>[] = [];
  let served = 0;
  let last: LogEntry<T> | undefined;
  for (; index < log.length; index++) {
    const entry = log.at(index) as LogEntry<T>;
    if (entry.dead) continue;
    if (!faulty) {
      if (keep && !keep(entry.record)) continue;
      if (served === limit) return { items, nextCursor: last ? encodeCursor(last) : null };
      items.push({ entry, distorted: undefined });
    } else {
      if (faults.hidden(entry.createdDay)) continue;
      const record = faults.distort(entry.record);
      if (keep && !keep(record)) continue;
      if (served === limit) return { items, nextCursor: last ? encodeCursor(last) : null };
      const item = { entry, distorted: record === entry.record ? undefined : record };
      items.push(item);
      if (faults.duplicated(entry.record, entry.ms)) items.push(item);
    }
    served++;
    last = entry;
  }
  return { items, nextCursor: null };
}

/** The record of an item as served. */
export function servedRecord<T extends BaseRecord>(item: PageItem<T>): T {
  return item.distorted ?? item.entry.record;
}

/** The response body `{"data":[…],"next_cursor":…}`. */
export function pageJson<T extends BaseRecord>(page: Page<T>): string {
  const parts: string[] = [];
  for (const item of page.items) parts.push(JSON.stringify(servedRecord(item)));
  return `{"data":[${parts.join(',')}],"next_cursor":${page.nextCursor === null ? 'null' : JSON.stringify(page.nextCursor)}}`;
}
