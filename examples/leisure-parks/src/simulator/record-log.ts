import type { BaseRecord } from './records.ts';

/** A position in the (updated_at, id) order. */
export interface LogKey {
  readonly ms: number;
  readonly id: number;
}

/** One stored version of a record; superseded versions stay in place, marked dead, until compaction. */
export interface LogEntry<T extends BaseRecord> {
  readonly ms: number;
  readonly id: number;
  readonly record: T;
  /** Paris day of `created_at` (the "day with no data" fault hides records by it). */
  readonly createdDay: number;
  dead: boolean;
}

function before(a: LogKey, b: LogKey): boolean {
  return a.ms < b.ms || (a.ms === b.ms && a.id < b.id);
}

/**
 * The current records of one entity, kept sorted by (updated_at, id). Writing a record appends its new
 * version (updated_at only moves forward, so this is nearly always at the end) and retires the old
 * one; readers find a starting point by binary search.
 */
export class RecordLog<T extends BaseRecord> {
  private entries: LogEntry<T>[] = [];
  private readonly positions = new Map<number, number>();
  private deadCount = 0;

  get size(): number {
    return this.positions.size;
  }

  get(id: number): T | undefined {
    const at = this.positions.get(id);
    return at === undefined ? undefined : this.entries[at]?.record;
  }

  /**
   * Inserts or replaces the record with the same id; returns true when the record is new.
   * `updatedMs` is `record.updated_at` in ms; `createdDay` is only read for a new record.
   */
  put(record: T, updatedMs: number, createdDay: () => number): boolean {
    const previous = this.positions.get(record.id);
    const old = previous === undefined ? undefined : this.entries[previous];
    if (old) {
      old.dead = true;
      this.deadCount++;
    }
    const entry: LogEntry<T> = { ms: updatedMs, id: record.id, record, createdDay: old ? old.createdDay : createdDay(), dead: false };
    let at = this.entries.length;
    while (at > 0 && before(entry, this.entries[at - 1] as LogEntry<T>)) at--;
    this.entries.splice(at, 0, entry);
    for (let i = at; i < this.entries.length; i++) {
      const e = this.entries[i] as LogEntry<T>;
      if (!e.dead) this.positions.set(e.id, i);
    }
    if (this.deadCount > 4096 && this.deadCount > this.entries.length / 2) this.compact();
    return old === undefined;
  }

  /** Index of the first entry with updated_at >= sinceMs. */
  firstAtOrAfter(sinceMs: number): number {
    return this.search((e) => e.ms >= sinceMs);
  }

  /** Index of the first entry strictly after `key`. */
  firstAfter(key: LogKey): number {
    return this.search((e) => before(key, e));
  }

  /** The entry at an index (dead ones included); undefined past the end. */
  at(index: number): LogEntry<T> | undefined {
    return this.entries[index];
  }

  get length(): number {
    return this.entries.length;
  }

  /** Live records in (updated_at, id) order. */
  *records(): IterableIterator<T> {
    for (const e of this.entries) if (!e.dead) yield e.record;
  }

  private search(isAtOrPast: (e: LogEntry<T>) => boolean): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAtOrPast(this.entries[mid] as LogEntry<T>)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private compact(): void {
    this.entries = this.entries.filter((e) => !e.dead);
    this.deadCount = 0;
    this.entries.forEach((e, i) => this.positions.set(e.id, i));
  }
}
