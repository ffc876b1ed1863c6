import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import { isQualityError } from '../errors.ts';
import { collectMetrics } from './metrics.ts';

/** The engine, counting the statements it is asked to run. */
function counting(engine: Engine): { engine: Engine; calls: { query: string[]; exec: string[]; describe: string[] } } {
  const calls = { query: [] as string[], exec: [] as string[], describe: [] as string[] };
  const wrapped: Engine = {
    tempDir: engine.tempDir,
    exec: (sql) => (calls.exec.push(sql), engine.exec(sql)),
    query: (sql) => (calls.query.push(sql), engine.query(sql)),
    describe: (sql) => (calls.describe.push(sql), engine.describe(sql)),
    fork: () => engine.fork(),
    writeParquet: (sql, dir, options) => engine.writeParquet(sql, dir, options),
    close: () => engine.close(),
  };
  return { engine: wrapped, calls };
}

const sampleStddev = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
};

describe('collectMetrics', () => {
  let duck: DuckDbEngine;
  before(async () => {
    duck = await DuckDbEngine.create();
    await duck.exec(`CREATE TABLE bookings AS SELECT * FROM (VALUES
      (1, 'anna@example.org', 12.5::DOUBLE, 3.10::DECIMAL(10,2), DATE '2024-06-01', TIMESTAMP '2024-06-01 09:00:00', true),
      (2, NULL,               20.0,         NULL,                DATE '2024-06-03', TIMESTAMP '2024-06-03 18:30:00', false),
      (3, 'bob@example.org',  NULL,         7.25,                NULL,              TIMESTAMP '2024-06-02 12:00:00', NULL),
      (4, 'anna@example.org', 'NaN',        1.00,                DATE '2024-05-30', NULL,                            true),
      (5, NULL,               'Infinity',   2.00,                DATE '2024-06-02', TIMESTAMP '2024-06-04 07:15:00', true)
    ) AS v(id, email, amount, fee, day, booked_at, paid)`);
  });
  after(async () => duck.close());

  it('measures a small table with NULLs correctly, in one query', async () => {
    const { engine, calls } = counting(duck);
    const m = await collectMetrics(engine, 'bookings');
    assert.equal(calls.query.length, 1, 'one aggregate query for the whole table');
    assert.equal(calls.exec.length, 0);
    assert.equal(calls.describe.length, 1);
    assert.equal(m.rowCount, 5);
    assert.deepEqual(m.columns.id, { type: 'INTEGER', nullRate: 0, distinct: 5, min: 1, max: 5, mean: 3, stddev: sampleStddev([1, 2, 3, 4, 5]) });
    assert.deepEqual(m.columns.email, { type: 'VARCHAR', nullRate: 0.4, distinct: 2, min: 'anna@example.org', max: 'bob@example.org' });
    // NaN and Infinity are left out of the statistics (they are not measurements), not out of the null rate.
    assert.deepEqual(m.columns.amount, { type: 'DOUBLE', nullRate: 0.2, distinct: 4, min: 12.5, max: 20, mean: 16.25, stddev: sampleStddev([12.5, 20]) });
    const fee = m.columns.fee;
    assert.equal(fee?.type, 'DECIMAL(10,2)');
    assert.equal(fee?.nullRate, 0.2);
    assert.equal(fee?.min, 1);
    assert.equal(fee?.max, 7.25);
    assert.ok(Math.abs((fee?.mean ?? 0) - 13.35 / 4) < 1e-9);
    assert.ok(Math.abs((fee?.stddev ?? 0) - sampleStddev([3.1, 7.25, 1, 2])) < 1e-9);
    assert.deepEqual(m.columns.day, { type: 'DATE', nullRate: 0.2, distinct: 4, min: '2024-05-30', max: '2024-06-03' });
    assert.deepEqual(m.columns.booked_at, { type: 'TIMESTAMP', nullRate: 0.2, distinct: 4, min: '2024-06-01 09:00:00', max: '2024-06-04 07:15:00' });
    assert.deepEqual(m.columns.paid, { type: 'BOOLEAN', nullRate: 0.2, distinct: 2 });
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m, 'JSON round trip');
  });

  it('measures a query, only the chosen columns, at most maxColumns', async () => {
    const { engine, calls } = counting(duck);
    const m = await collectMetrics(engine, 'SELECT * FROM bookings WHERE id > 2', { columns: ['paid', 'email', 'id'], maxColumns: 2 });
    assert.equal(calls.query.length, 1);
    assert.equal(m.rowCount, 3);
    // Relation order, not the order asked.
    assert.deepEqual(Object.keys(m.columns), ['id', 'email']);
    assert.deepEqual(m.skippedColumns, ['paid']);
    assert.equal(m.columns.email?.nullRate, 1 / 3);

    const wide = await collectMetrics(duck, `SELECT ${Array.from({ length: 60 }, (_, i) => `${i} AS c${i}`).join(', ')}`);
    assert.equal(Object.keys(wide.columns).length, 50);
    assert.equal(wide.skippedColumns?.length, 10);
    assert.equal(wide.skippedColumns?.[0], 'c50');
  });

  it('handles an empty relation, duplicate names and odd column names', async () => {
    const empty = await collectMetrics(duck, 'SELECT * FROM bookings WHERE false');
    assert.equal(empty.rowCount, 0);
    assert.deepEqual(empty.columns.amount, { type: 'DOUBLE', nullRate: 0, distinct: 0 });
    const odd = await collectMetrics(duck, `SELECT 1 AS a, 2 AS a, 'x' AS "we""ird name"`);
    assert.deepEqual(Object.keys(odd.columns), ['a', 'a_1', 'we"ird name']);
    assert.equal(odd.columns.a_1?.max, 2);
    assert.equal(odd.columns['we"ird name']?.min, 'x');
  });

  it('counts distinct values exactly on request', async () => {
    const relation = 'SELECT i % 1000 AS k FROM range(100000) r(i)';
    const exact = await collectMetrics(duck, relation, { exactDistinct: true });
    assert.equal(exact.columns.k?.distinct, 1000);
    const approx = await collectMetrics(duck, relation);
    assert.ok(Math.abs((approx.columns.k?.distinct ?? 0) - 1000) < 400, `approx ${approx.columns.k?.distinct}`);
  });

  it('names the relation and the problem when it fails', async () => {
    await assert.rejects(collectMetrics(duck, 'bookings', { columns: ['id', 'nope'] }), (e: unknown) =>
      isQualityError(e, 'QUALITY_INVALID_DEFINITION') && /metrics of bookings: no column "nope"; the columns are id, email/.test((e as Error).message));
    await assert.rejects(collectMetrics(duck, 'missing_table'), (e: unknown) =>
      isQualityError(e, 'QUALITY_CHECK_ERROR') && /metrics of missing_table failed in the engine: .*missing_table/.test((e as Error).message));
    await assert.rejects(collectMetrics(duck, 'bookings', { maxColumns: -1 }), (e: unknown) => isQualityError(e, 'QUALITY_INVALID_DEFINITION'));
  });
});
