import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Add } from '@strata/delta';
import { DeltaTable, DuckDbEngine } from '@strata/delta';
import { LocalObjectStore } from '@strata/storage';
import { tempDir } from './temp.ts';

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Checks what the protocol requires of every written file, independently of our reader: relative
 * URI-encoded paths, the real size, and statistics equal to the file's contents.
 */
describe('written tables are valid Delta', () => {
  let engine: DuckDbEngine;
  let dir: string;
  let table: DeltaTable;
  before(async () => {
    engine = await DuckDbEngine.create();
    dir = tempDir();
    table = await DeltaTable.open(new LocalObjectStore({ directory: dir }), { engine });
    await table.write(
      `SELECT * FROM (VALUES
        (1, 'a b', TIMESTAMPTZ '2024-01-01 10:00:00.123456+00', DATE '2024-01-01', 'x', 1.5),
        (2, 'a/b=%é', TIMESTAMPTZ '2024-01-02 00:00:00+00', DATE '2024-01-02', NULL, -2.0),
        (3, NULL, NULL, NULL, 'y', NULL),
        (4, 'a b', TIMESTAMPTZ '2024-01-03 23:59:59.999999+00', DATE '2024-01-03', 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', 3.25)
      ) AS t(id, city, ts, day, note, amount)`,
      { partitionBy: ['city'] },
    );
    await table.write(`SELECT 5 AS id, 'lyon' AS city, NULL::TIMESTAMPTZ AS ts, DATE '2024-02-01' AS day, 'n' AS note, 0.0 AS amount`);
    await table.update({ amount: 'amount + 1' }, 'id = 1');
  });
  after(async () => {
    await engine.close();
  });

  it('reads back partition values with special characters and nulls', async () => {
    const got = await table.read({ orderBy: 'id' });
    assert.deepEqual(
      got.map((r) => r.city),
      ['a b', 'a/b=%é', null, 'a b', 'lyon'],
    );
    assert.equal(got[0]?.amount, 2.5);
  });

  it('records relative URI-encoded paths, real sizes and exact statistics', async () => {
    const snapshot = await table.snapshot();
    assert.ok(snapshot.files.length >= 4);
    for (const add of snapshot.files as Add[]) {
      assert.ok(!add.path.startsWith('/') && !/^[a-z]+:/.test(add.path), `relative path: ${add.path}`);
      const key = decodeURIComponent(add.path);
      assert.equal(encodeURIComponent(key).replaceAll('%3D', '=').replaceAll('%2F', '/'), add.path);
      const head = await table.store.head(key);
      assert.equal(add.size, head.size, `size of ${add.path}`);
      assert.deepEqual(Object.keys(add.partitionValues), ['city']);
      const stats = JSON.parse(add.stats ?? '{}') as {
        numRecords: number;
        minValues: Record<string, unknown>;
        maxValues: Record<string, unknown>;
        nullCount: Record<string, number>;
      };
      const file = q(`${dir}/${key}`);
      const [real] = await engine.query<Record<string, unknown>>(
        `SELECT count(*) AS n, min(id) AS min_id, max(id) AS max_id, count(*) - count(ts) AS null_ts, count(*) - count(note) AS null_note,
                strftime(min(ts), '%Y-%m-%dT%H:%M:%S.%g') AS min_ts, min(day)::VARCHAR AS min_day, min(amount) AS min_amount, max(amount) AS max_amount
         FROM read_parquet(${file})`,
      );
      assert.equal(stats.numRecords, real?.n);
      assert.equal(stats.minValues.id, real?.min_id);
      assert.equal(stats.maxValues.id, real?.max_id);
      assert.equal(stats.nullCount.ts, real?.null_ts);
      assert.equal(stats.nullCount.note, real?.null_note);
      assert.equal('city' in stats.nullCount, false, 'partition columns are not in file stats');
      if (real?.min_ts) assert.equal(stats.minValues.ts, `${real.min_ts}Z`);
      if (real?.min_day) assert.equal(stats.minValues.day, real.min_day);
      if (real?.min_amount !== null) assert.equal(stats.minValues.amount, real?.min_amount);
      const maxNote = stats.maxValues.note;
      assert.ok(maxNote === undefined || (typeof maxNote === 'string' && maxNote.length <= 32), 'long strings get no upper bound');
    }
  });

  it('writes a commitInfo with the operation and whether it was a blind append', async () => {
    const h = await table.history();
    assert.deepEqual(
      h.map((e) => [e.version, e.operation, e.isBlindAppend]),
      [
        [2, 'UPDATE', false],
        [1, 'WRITE', true],
        [0, 'CREATE TABLE AS SELECT', true],
      ],
    );
    assert.equal(h[1]?.readVersion, 0);
  });

  it('time-travels by timestamp', async () => {
    const h = await table.history();
    const v1 = h.find((e) => e.version === 1);
    assert.ok(v1);
    assert.equal((await table.snapshot({ timestamp: v1.timestamp })).version, 1);
    assert.equal((await table.snapshot({ timestamp: new Date(v1.timestamp + 1) })).version, 1);
    assert.equal((await table.snapshot({ timestamp: new Date(Date.now() + 60_000).toISOString() })).version, 2);
    await assert.rejects(() => table.snapshot({ timestamp: '2000-01-01T00:00:00Z' }), /no version at or before/);
  });

  it('skips files by partition values and statistics', async () => {
    const snapshot = await table.snapshot();
    const { selectFiles } = await import('../src/scan/scan.ts');
    const { parsePredicate } = await import('../src/expressions/predicate.ts');
    const count = async (sql: string) => selectFiles(snapshot, await parsePredicate(engine, sql)).length;
    assert.equal(await count("city = 'lyon'"), 1);
    assert.equal(await count('id = 5'), 1);
    assert.equal(await count('id > 100'), 0);
    assert.equal(await count('city IS NULL'), 1);
    assert.equal(await count("ts >= TIMESTAMPTZ '2024-01-03 23:59:59.999999+00'"), 1);
    assert.equal(await count("NOT (city <> 'lyon')"), 1);
    assert.equal(await count('id = 5 OR id = 100'), 1);
    assert.equal(await count('id = 5 OR id = 3'), 3, 'id 3 may be in the file holding ids 1..4');
    assert.equal(await count('abs(id) = 5'), snapshot.files.length, 'unknown functions skip nothing');
  });
});
