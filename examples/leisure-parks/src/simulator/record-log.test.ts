import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataFaults, NO_FAULTS } from './faults.ts';
import { decodeCursor, encodeCursor, pageJson, readPage, servedRecord } from './page.ts';
import { RecordLog } from './record-log.ts';
import type { BaseRecord } from './records.ts';

interface Row extends BaseRecord {
  readonly v: number;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const row = (id: number, ms: number, v = 0): Row => ({ id, v, created_at: iso(0), updated_at: iso(ms) });
const noFaults = new DataFaults(1, 'parks', NO_FAULTS.data);

function put(log: RecordLog<Row>, r: Row): boolean {
  return log.put(r, Date.parse(r.updated_at), () => 0);
}

function pageAll(log: RecordLog<Row>, limit: number, updatedSince?: string): Row[] {
  const out: Row[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = readPage(log, { limit, cursor, updatedSince }, noFaults);
    out.push(...page.items.map(servedRecord));
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

test('keeps records sorted by (updated_at, id), also when an equal timestamp arrives with a smaller id', () => {
  const log = new RecordLog<Row>();
  assert.equal(put(log, row(5, 1000)), true);
  assert.equal(put(log, row(9, 2000)), true);
  assert.equal(put(log, row(2, 2000)), true);
  assert.equal(put(log, row(5, 2000, 1)), false, 'a new version of record 5');
  assert.deepEqual([...log.records()].map((r) => [r.id, r.updated_at, r.v]), [
    [2, iso(2000), 0],
    [5, iso(2000), 1],
    [9, iso(2000), 0],
  ]);
  assert.equal(log.size, 3);
  assert.equal(log.get(5)?.v, 1);
});

test('pages return every record exactly once, in order, for any limit and updated_since', () => {
  const log = new RecordLog<Row>();
  for (let i = 1; i <= 500; i++) put(log, row(i, Math.floor(i / 3) * 1000));
  // Rewrite a third of them later: old versions die, compaction kicks in past 4096 dead entries.
  for (let round = 0; round < 30; round++) for (let i = 1; i <= 500; i += 3) put(log, row(i, 1_000_000 + round * 1000 + i, round));
  const all = [...log.records()];
  assert.equal(all.length, 500);
  for (const limit of [1, 7, 100, 1000]) assert.deepEqual(pageAll(log, limit), all, `limit ${limit}`);
  const since = iso(100_000);
  const expected = all.filter((r) => r.updated_at >= since);
  assert.deepEqual(pageAll(log, 13, since), expected);
  assert.ok(expected.length > 0 && expected.length < 500);
});

test('a record updated between two pages shows up again at the end', () => {
  const log = new RecordLog<Row>();
  for (let i = 1; i <= 10; i++) put(log, row(i, i * 1000));
  const first = readPage(log, { limit: 5 }, noFaults);
  assert.deepEqual(first.items.map((i) => i.entry.id), [1, 2, 3, 4, 5]);
  put(log, row(2, 50_000, 1));
  const rest = readPage(log, { limit: 100, cursor: first.nextCursor ?? undefined }, noFaults);
  assert.deepEqual(rest.items.map((i) => i.entry.id), [6, 7, 8, 9, 10, 2]);
  assert.equal(rest.nextCursor, null);
});

test('the last full page has no next cursor; bad queries are refused with the reason', () => {
  const log = new RecordLog<Row>();
  for (let i = 1; i <= 4; i++) put(log, row(i, i * 1000));
  assert.equal(readPage(log, { limit: 4 }, noFaults).nextCursor, null);
  assert.notEqual(readPage(log, { limit: 3 }, noFaults).nextCursor, null);
  assert.deepEqual(decodeCursor(encodeCursor({ ms: 123, id: 4 })), { ms: 123, id: 4 });
  assert.throws(() => readPage(log, { cursor: 'nope' }, noFaults), { code: 'SIM_INVALID_REQUEST', message: /cursor "nope"/ });
  assert.throws(() => readPage(log, { limit: 1001 }, noFaults), { message: /limit must be an integer from 1 to 1000/ });
  assert.throws(() => readPage(log, { limit: 0 }, noFaults), { message: /got 0/ });
  assert.throws(() => readPage(log, { updatedSince: 'last week' }, noFaults), { message: /updated_since "last week"/ });
  const body = JSON.parse(pageJson(readPage(log, { limit: 2 }, noFaults))) as { data: Row[]; next_cursor: string };
  assert.deepEqual(body.data, [row(1, 1000), row(2, 2000)]);
  assert.equal(typeof body.next_cursor, 'string');
});
