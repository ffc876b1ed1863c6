import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DuckDbEngine } from '@strata/delta';
import { isQualityError } from '../errors.ts';
import type { CheckDefinition } from './definition.ts';
import { dropPredicate, dropRelationSql, failureReasonSql, rowFilter } from './drop.ts';
import { describeRelation, evaluateChecks } from './evaluate.ts';
import { ordersEngine } from './test-fixtures.ts';

describe('dropping failing rows', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await ordersEngine();
  });
  after(async () => engine.close());

  const ids = async (sql: string) => (await engine.query<{ id: number }>(`SELECT id FROM (${sql}) ORDER BY ALL`)).map((r) => r.id);

  it('keeps the rows passing every drop check and quarantines the others with their reasons', async () => {
    const checks: CheckDefinition[] = [
      { type: 'not_null', column: 'customer_id', action: 'drop' },
      { type: 'range', column: 'amount', min: 0, max: 100, action: 'drop' },
      { type: 'regex', column: 'email', pattern: '[^@]+@[^@]+', action: 'drop' },
      // Not a drop check: it fails rows 4 and 5 but must not split anything.
      { type: 'accepted_values', column: 'status', values: ['paid'] },
    ];
    const { pass, reason } = rowFilter(checks);
    assert.equal(pass, dropPredicate(checks));
    assert.equal(reason, failureReasonSql(checks));
    assert.deepEqual(await ids(`SELECT * FROM orders WHERE ${pass}`), [1, 4]);
    const quarantined = await engine.query<{ id: number; reason: string }>(`SELECT id, ${reason} AS reason FROM orders WHERE NOT (${pass}) ORDER BY id, reason`);
    assert.deepEqual(quarantined, [
      { id: 2, reason: 'range_amount: amount < 0 (min 0)' },
      { id: 3, reason: 'regex_email: email does not match [^@]+@[^@]+' },
      { id: 4, reason: 'not_null_customer_id: customer_id is NULL; range_amount: amount > 100 (max 100)' },
    ]);
  });

  it('splits with unique and relationships: every row lands once, counts add up, reasons name the checks', async () => {
    const checks: CheckDefinition[] = [
      { type: 'unique', column: 'id', action: 'drop' },
      { type: 'relationships', column: 'customer_id', to: 'customers', field: 'id', action: 'drop' },
      { type: 'range', column: 'amount_text', min: 0, action: 'drop' },
    ];
    const { keep, quarantine } = dropRelationSql('SELECT * FROM orders', checks);
    assert.deepEqual(await ids(keep), [1]);
    const q = await engine.query<{ id: number; customer_id: number | null; _reason: string }>(`SELECT id, customer_id, _reason FROM (${quarantine}) ORDER BY id, customer_id NULLS FIRST`);
    assert.deepEqual(q, [
      { id: 2, customer_id: 11, _reason: 'range_amount_text: amount_text is not a number' },
      { id: 3, customer_id: 12, _reason: 'range_amount_text: amount_text is not a number' },
      // Both copies of the duplicated id go: which one is right cannot be told.
      { id: 4, customer_id: null, _reason: 'unique_id: id is duplicated' },
      { id: 4, customer_id: 99, _reason: 'unique_id: id is duplicated; relationships_customer_id__id__customers: customer_id has no match in customers.id' },
    ]);
    const [total] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM orders');
    assert.equal((await ids(keep)).length + q.length, total?.n);

    // The evaluation counts the same rows the split quarantines.
    const outcomes = await evaluateChecks(engine, 'orders', checks);
    assert.deepEqual(outcomes.map((o) => o.failingRows), [2, 1, 2]);
  });

  it('quarantines every copy of exact duplicate rows, leaving keys with a NULL alone', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE copies AS SELECT * FROM (VALUES (1, 'x'), (1, 'x'), (1, 'x'), (2, 'y'), (2, NULL), (2, NULL)) v(a, b)`);
    const { keep, quarantine } = dropRelationSql('copies', [{ type: 'unique', columns: ['a', 'b'], action: 'drop' }]);
    assert.deepEqual(await engine.query(`${keep} ORDER BY ALL`), [{ a: 2, b: 'y' }, { a: 2, b: null }, { a: 2, b: null }]);
    assert.deepEqual(await engine.query(`${quarantine} ORDER BY ALL`), Array(3).fill({ a: 1, b: 'x', _reason: 'unique_a_b: (a, b) is duplicated' }));
  });

  it('splits the same rows whether or not the column types are given', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE readings AS SELECT * FROM (VALUES
      (1, TIMESTAMPTZ '2024-01-01 23:30:00-02', TIMESTAMP '2024-01-02 06:00:00', DATE '2024-01-01', 5::DECIMAL(4,1)),
      (2, TIMESTAMPTZ '2024-01-03 00:00:00+00', TIMESTAMP '2024-01-01 23:59:59', DATE '2024-01-02', -0.5::DECIMAL(4,1)),
      (3, NULL, NULL, NULL, NULL)
    ) v(id, tz, ts, d, n)`);
    const range = (column: string, min: number | string, max: number | string): CheckDefinition => ({ type: 'range', column, min, max, action: 'drop' });
    const checks = [range('tz', '2024-01-02', '2024-01-02T12:00:00+01:00'), range('ts', '2024-01-02', '2024-01-02 12:00'), range('d', '2024-01-02', '2024-01-03'), range('n', 0, 10)];
    const typed = dropRelationSql('readings', checks, { columns: await describeRelation(engine, 'readings') });
    const untyped = dropRelationSql('readings', checks);
    assert.notEqual(typed.keep, untyped.keep);
    assert.deepEqual(await ids(untyped.keep), [3]);
    assert.deepEqual(await ids(typed.keep), [3]);
    const reasons = async (sql: string) => engine.query(`SELECT id, _reason FROM (${sql}) ORDER BY id`);
    assert.deepEqual(await reasons(typed.quarantine), await reasons(untyped.quarantine));
    assert.deepEqual(await reasons(typed.quarantine), [
      { id: 1, _reason: 'range_d: d < 2024-01-02 (min 2024-01-02)' },
      { id: 2, _reason: 'range_tz: tz > 2024-01-02T12:00:00+01:00 (max 2024-01-02T12:00:00+01:00); range_ts: ts < 2024-01-02 (min 2024-01-02); range_n: n < 0 (min 0)' },
    ]);
  });

  it('names the quarantine reason column as asked and splits nothing without drop checks', async () => {
    const none = dropRelationSql('orders', [{ type: 'not_null', column: 'customer_id' }], { reasonColumn: 'why' });
    assert.equal((await ids(none.keep)).length, 5);
    assert.deepEqual(await engine.query(none.quarantine), []);
    assert.deepEqual((await engine.describe(none.quarantine)).names.at(-1), 'why');
  });

  it('refuses a unique drop check in a per-row predicate', () => {
    assert.throws(
      () => dropPredicate([{ type: 'unique', column: 'id', action: 'drop' }]),
      (e: unknown) => isQualityError(e, 'QUALITY_INVALID_DEFINITION') && e.message === 'check unique_id drops duplicated rows, which needs a window over the whole relation; use dropRelationSql',
    );
  });
});
