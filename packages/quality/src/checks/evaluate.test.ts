import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DuckDbEngine } from '@strata/delta';
import { isQualityError } from '../errors.ts';
import type { CheckDefinition } from './definition.ts';
import { evaluateChecks } from './evaluate.ts';
import { blocksCommit } from './outcome.ts';
import type { CheckOutcome, EvaluateOptions } from './outcome.ts';
import { ordersEngine, recordingEngine } from './test-fixtures.ts';

describe('evaluateChecks', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await ordersEngine();
  });
  after(async () => engine.close());

  const one = async (check: CheckDefinition, options: EvaluateOptions = {}): Promise<CheckOutcome> => {
    const [outcome] = await evaluateChecks(engine, 'orders', [check], options);
    return outcome as CheckOutcome;
  };

  it('not_null: counts NULLs per column and for several columns together', async () => {
    const id = await one({ type: 'not_null', column: 'id' });
    assert.deepEqual([id.name, id.passed, id.failingRows, id.message], ['not_null_id', true, 0, 'id has no NULL value']);
    const customer = await one({ type: 'not_null', column: 'customer_id' });
    assert.deepEqual([customer.passed, customer.failingRows, customer.message], [false, 1, '1 row has customer_id NULL']);
    assert.deepEqual(customer.sample, [{ customer_id: null }]);
    const both = await one({ type: 'not_null', columns: ['customer_id', 'status'] });
    assert.deepEqual([both.name, both.failingRows, both.message], ['not_null_customer_id_status', 2, '2 rows have a NULL in customer_id or status (customer_id: 1, status: 1)']);
    assert.deepEqual(both.metrics, { null_customer_id: 1, null_status: 1 });
  });

  it('unique: counts duplicated keys and every row they cover, ignoring keys with a NULL', async () => {
    const id = await one({ type: 'unique', columns: ['id'] });
    assert.deepEqual([id.name, id.passed, id.failingRows, id.message], ['unique_id', false, 2, '1 value of id appears more than once, in 2 rows']);
    assert.deepEqual(id.metrics, { duplicate_keys: 1, duplicate_rows: 2 });
    assert.deepEqual(id.sample, [{ id: 4, _count: 2 }]);
    // (4, NULL) and (4, 99) differ, and a key with a NULL is not compared at all.
    const pair = await one({ type: 'unique', columns: ['id', 'customer_id'] });
    assert.deepEqual([pair.passed, pair.failingRows, pair.message], [true, 0, '(id, customer_id) is unique']);
    const status = await one({ type: 'unique', column: 'status' });
    assert.deepEqual([status.failingRows, status.message], [2, '1 value of status appears more than once, in 2 rows']);
  });

  it('accepted_values: NULL passes, other values fail', async () => {
    const o = await one({ type: 'accepted_values', column: 'status', values: ['paid', 'pending'] });
    assert.deepEqual([o.name, o.passed, o.failingRows], ['accepted_values_status', false, 1]);
    assert.equal(o.message, "1 row has status outside the accepted values 'paid', 'pending'");
    assert.deepEqual(o.sample, [{ status: 'refunded' }]);
    const ok = await one({ type: 'accepted_values', column: 'status', values: ['paid', 'pending', 'refunded'] });
    assert.deepEqual([ok.passed, ok.message], [true, "every status is one of 'paid', 'pending', 'refunded'"]);
    const unquoted = await one({ type: 'accepted_values', column: 'id', values: [1, 2, 3], quote: false });
    assert.equal(unquoted.failingRows, 2);
  });

  it('range: counts values below and above with the observed min and max', async () => {
    const o = await one({ type: 'range', column: 'amount', min: 0, max: 100 }, { sampleKeyColumns: ['id'] });
    assert.deepEqual([o.name, o.passed, o.failingRows], ['range_amount', false, 2]);
    assert.equal(o.message, '1 row has amount < 0 (min 0); 1 row has amount > 100 (max 100)');
    assert.deepEqual(o.metrics, { below_min: 1, above_max: 1, observed_min: -5, observed_max: 1000 });
    assert.deepEqual(
      o.sample?.map((r) => r.id).sort(),
      [2, 4],
    );
    assert.deepEqual(Object.keys(o.sample?.[0] ?? {}).sort(), ['amount', 'id']);
    const exclusive = await one({ type: 'range', column: 'amount', min: 10, min_inclusive: false });
    assert.deepEqual([exclusive.failingRows, exclusive.message], [2, '2 rows have amount <= 10 (must be above 10)']);
    const wide = await one({ type: 'range', column: 'amount', min: -1e300, max: 1e300 });
    assert.deepEqual([wide.passed, wide.message], [true, 'every amount is at least -1e+300 and at most 1e+300 (observed -5 to 1000)']);
  });

  it("range on text: 'NA' and 'NULL' strings fail as values that are not numbers", async () => {
    const o = await one({ type: 'range', column: 'amount_text', min: 0, max: 50 });
    assert.deepEqual([o.passed, o.failingRows], [false, 2]);
    assert.equal(o.message, "2 rows have a value of amount_text that is not a number (text such as 'NA' or 'NULL'), counted as failing");
    assert.deepEqual(o.metrics, { below_min: 0, above_max: 0, not_castable: 2, observed_min: 7.5, observed_max: 10 });
    assert.deepEqual(o.sample?.map((r) => r.amount_text).sort(), ['NA', 'NULL']);
  });

  it('range on timestamps, with bounds written as dates', async () => {
    const o = await one({ type: 'range', column: 'created_at', min: '2024-01-02', max: '2024-01-03T12:00:00Z' });
    assert.deepEqual([o.failingRows, o.metrics?.observed_min], [2, '2024-01-01 10:00:00']);
    assert.equal(o.message, '1 row has created_at < 2024-01-02 (min 2024-01-02); 1 row has created_at > 2024-01-03T12:00:00Z (max 2024-01-03T12:00:00Z)');
  });

  it('range and freshness on every kind of time column, text included', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE events AS SELECT * FROM (VALUES
      (TIMESTAMPTZ '2024-01-01 23:30:00-02', DATE '2024-01-01', '2024-01-01T10:00:00Z'),
      (TIMESTAMPTZ '2024-01-03 00:00:00+00', DATE '2024-01-03', 'soon'),
      (NULL, NULL, 'infinity')
    ) v(ts, d, ts_text)`);
    const check = (column: string) => ({ type: 'range', column, min: '2024-01-02', max: '2024-01-02T12:00:00+01:00', name: `r_${column}` }) as const;
    const outcomes = await evaluateChecks(engine, 'events', [check('ts'), check('d'), check('ts_text')]);
    assert.deepEqual(outcomes.map((o) => [o.failingRows, o.metrics?.below_min, o.metrics?.above_max, o.metrics?.not_castable]), [
      [1, 0, 1, undefined], // 2024-01-02 01:30 UTC is in range
      [2, 1, 1, undefined],
      [3, 1, 1, 1],
    ]);
    const now = new Date('2024-01-04T00:00:00Z');
    const fresh = await evaluateChecks(engine, 'events', [
      { type: 'freshness', column: 'ts', max_age: '1d' },
      { type: 'freshness', column: 'd', max_age: '12h' },
      { type: 'freshness', column: 'ts_text', max_age: '1d' },
    ], { now });
    assert.deepEqual(fresh.map((o) => [o.passed, o.metrics?.age_seconds]), [[true, 86400], [false, 86400], [false, undefined]]);
    assert.equal(fresh[2]?.message, 'ts_text has infinity as its newest value, which is no point in time, so its freshness cannot be measured');
    await assert.rejects(
      evaluateChecks(engine, 'events', [{ type: 'freshness', column: 'd', max_age: '1d' }, { type: 'freshness', column: 'ts', max_age: '1d', name: 'f' }, { type: 'range', column: 'd', min: 1 }]),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && e.message === 'check range_d: the bounds are numbers but d is DATE',
    );
  });

  it('messy data: exact duplicate rows, extreme outliers, infinite and unparsable values', async () => {
    await engine.exec(`CREATE OR REPLACE TABLE messy AS SELECT * FROM (VALUES
      (1, 'x', 1e308, '1e400', TIMESTAMP 'infinity'),
      (1, 'x', '-inf'::DOUBLE, ' 3 ', TIMESTAMP '2024-01-01'),
      (1, 'x', 'nan'::DOUBLE, '', TIMESTAMP '2024-01-01'),
      (2, NULL, 1, 'NULL', NULL),
      (2, NULL, NULL, NULL, NULL),
      (NULL, 'z', 5, '4', NULL),
      (NULL, 'z', 5, '4', NULL)
    ) v(a, b, v, s, t)`);
    const outcomes = await evaluateChecks(engine, 'messy', [
      { type: 'unique', columns: ['a', 'b'] },
      { type: 'unique', column: 'a' },
      { type: 'unique', column: 'b' },
      { type: 'range', column: 'v', min: 0, max: 10 },
      { type: 'range', column: 's', min: 0, max: 10 },
      { type: 'range', column: 't', max: '2030-01-01' },
      { type: 'expression', expression: 'v / 0 < 1' },
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.name, o.failingRows, o.metrics?.duplicate_keys ?? o.metrics?.not_castable]),
      [
        ['unique_a_b', 3, 1],
        ['unique_a', 5, 2],
        ['unique_b', 5, 2],
        ['range_v', 3, undefined],
        // '1e400' reads as Infinity (above the max); '' and 'NULL' are not numbers.
        ['range_s', 3, 2],
        ['range_t', 1, undefined],
        // -inf / 0 < 1 holds; the other divisions give NULL, NaN or +inf.
        ['expression_v_0_1', 6, undefined],
      ],
    );
    assert.equal(outcomes[0]?.message, '1 combination of (a, b) appears more than once, in 3 rows');
    assert.deepEqual(outcomes[0]?.sample, [{ a: 1, b: 'x', _count: 3 }]);
    assert.deepEqual([outcomes[3]?.metrics?.observed_min, outcomes[3]?.metrics?.observed_max], ['-Infinity', 'NaN']);
    assert.deepEqual(outcomes[5]?.sample, [{ t: 'infinity' }]);
  });

  it('regex: values must match as a whole', async () => {
    const o = await one({ type: 'regex', column: 'email', pattern: '[^@]+@[^@]+' });
    assert.deepEqual([o.name, o.failingRows, o.message], ['regex_email', 1, '1 row has email not matching [^@]+@[^@]+']);
    assert.equal((await one({ type: 'regex', column: 'id', pattern: '[0-9]' })).passed, true);
  });

  it('relationships: every non-NULL value must exist in the parent, resolved by name', async () => {
    const o = await one({ type: 'relationships', column: 'customer_id', to: 'dim_customers', field: 'id' }, { resolveRelation: (n) => n.replace('dim_', ''), sampleKeyColumns: ['id'] });
    assert.deepEqual([o.passed, o.failingRows], [false, 1]);
    assert.equal(o.message, '1 row has no match for customer_id in dim_customers.id');
    assert.deepEqual(o.sample, [{ customer_id: 99, id: 4 }]);
    const ok = await one({ type: 'relationships', column: 'customer_id', to: 'SELECT * FROM customers UNION ALL SELECT 99', field: 'id' });
    assert.equal(ok.passed, true);
  });

  it('expression: a row fails unless the expression is TRUE; NULL fails unless null_passes', async () => {
    const o = await one({ type: 'expression', expression: 'amount >= 0' });
    assert.deepEqual([o.name, o.failingRows, o.message], ['expression_amount_0', 2, '2 rows fail amount >= 0 (1 of them because it is NULL)']);
    assert.deepEqual(o.sample?.map((r) => r.amount).sort(), [-5, null]);
    const lenient = await one({ type: 'expression', expression: 'amount >= 0', null_passes: true });
    assert.deepEqual([lenient.failingRows, lenient.message], [1, '1 row fails amount >= 0']);
  });

  it('row_count: min, max and the change from the previous count', async () => {
    const o = await one({ type: 'row_count', min: 1, max: 3 });
    assert.deepEqual([o.passed, o.message, o.metrics], [false, 'the table has 5 rows: more than the maximum 3', { rows: 5 }]);
    const change = await one({ type: 'row_count', max_change_pct: 10 }, { previousRowCount: 4 });
    assert.deepEqual([change.passed, change.metrics], [false, { rows: 5, previous_rows: 4, change_pct: 25 }]);
    assert.equal(change.message, 'the table has 5 rows: a change of +25.0 % from the previous 4, more than the 10 % allowed');
    const steady = await one({ type: 'row_count', min: 1, max_change_pct: 30 }, { previousRowCount: 4 });
    assert.deepEqual([steady.passed, steady.message], [true, 'the table has 5 rows; +25.0 % from the previous 4 (at most 30 % allowed)']);
    const first = await one({ type: 'row_count', max_change_pct: 30 });
    assert.deepEqual([first.passed, first.message], [true, 'the table has 5 rows; no previous row count to compare with']);
  });

  it('freshness: the age of the newest value, or of the last load', async () => {
    const now = new Date('2024-01-05T12:00:00Z');
    const fresh = await one({ type: 'freshness', column: 'created_at', max_age: '36h' }, { now });
    assert.deepEqual([fresh.name, fresh.passed, fresh.metrics?.age_seconds], ['freshness_created_at', true, 26 * 3600]);
    assert.equal(fresh.message, 'the newest created_at (2024-01-04 10:00:00) is 1 day 2 hours old, within the maximum age of 36h');
    const stale = await one({ type: 'freshness', column: 'created_at', max_age: 'PT6H' }, { now });
    assert.deepEqual([stale.passed, stale.message.endsWith('more than the maximum age of PT6H')], [false, true]);
    const load = await one({ type: 'freshness', max_age: '2d' }, { now, lastLoadedAt: new Date('2024-01-01T00:00:00Z') });
    assert.deepEqual([load.passed, load.message], [false, 'the last load (2024-01-01 00:00:00+00) is 4 days 12 hours old, more than the maximum age of 2d']);
    await assert.rejects(one({ type: 'freshness', max_age: '2d' }), (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && /^check freshness: a freshness check without a column .*\(lastLoadedAt\)$/.test(e.message));
  });

  it('schema: types compared with aliases normalised, extra columns refused when asked', async () => {
    const ok = await one({ type: 'schema', columns: { ID: 'int', amount: 'decimal(5, 1)', status: 'text', created_at: 'timestamp' } });
    assert.deepEqual([ok.passed, ok.message], [true, 'the 4 expected columns are present with their types']);
    const bad = await one({ type: 'schema', columns: { id: 'bigint', created_at: 'timestamptz', missing: 'varchar', status: 'string' }, allow_extra: false });
    assert.equal(bad.passed, false);
    assert.equal(
      bad.message,
      'the schema differs from the expected one: missing column missing; id is INTEGER, expected BIGINT; created_at is TIMESTAMP, expected TIMESTAMP WITH TIME ZONE; unexpected columns customer_id, amount, amount_text, email',
    );
  });

  it('custom_sql: the query returns the failing rows, over {{ relation }}', async () => {
    const o = await one({ type: 'custom_sql', name: 'big_orders', sql: 'SELECT id, amount FROM {{ relation }} WHERE amount > 500;' });
    assert.deepEqual([o.passed, o.failingRows, o.message, o.sample], [false, 1, 'the check query returned 1 failing row', [{ id: 4, amount: 1000 }]]);
    const none = await evaluateChecks(engine, 'SELECT * FROM orders WHERE amount < 500', [{ type: 'custom_sql', sql: 'select * from {{relation}} where amount > 500 -- big' }]);
    assert.deepEqual([none[0]?.name, none[0]?.passed], ['custom_sql_select_from_relation_where_amount_500_big', true]);
  });

  it('custom: a TypeScript check gets the engine, the relation and a query helper', async () => {
    const o = await one({
      type: 'custom',
      name: 'paid_share',
      severity: 'warn',
      run: async (ctx) => {
        const [row] = await ctx.query<{ share: number }>("SELECT avg(CASE WHEN status = 'paid' THEN 1 ELSE 0 END) AS share FROM {{ relation }}");
        const share = row?.share ?? 0;
        return { passed: share >= 0.5, failingRows: 0, metadata: { share, relation: ctx.relation } };
      },
    });
    assert.deepEqual([o.passed, o.severity, o.action, o.blocking, o.metrics], [false, 'warn', 'warn', false, { share: 0.4, relation: 'orders' }]);
    await assert.rejects(
      one({ type: 'custom', name: 'broken', run: async () => Promise.reject(new Error('boom')) }),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && e.message === 'check broken (custom) threw: boom',
    );
  });

  it('reports a missing column naming the check and the column, before reading data', async () => {
    const recorded = recordingEngine(engine);
    await assert.rejects(
      evaluateChecks(recorded, 'orders', [{ type: 'not_null', column: 'id' }, { type: 'range', column: 'amont', min: 0 }]),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && /^check range_amont: column amont does not exist in the relation \(its columns: id, customer_id, status/.test(e.message),
    );
    await assert.rejects(
      evaluateChecks(engine, 'orders', [{ type: 'relationships', column: 'customer_id', to: 'customers', field: 'customer_id' }]),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && /column customer_id does not exist in customers \(the relation of to:\)/.test(e.message),
    );
    assert.deepEqual(recorded.queries, []);
  });

  it('names the check whose SQL the engine refuses', async () => {
    await assert.rejects(
      evaluateChecks(engine, 'orders', [{ type: 'not_null', column: 'id' }, { type: 'expression', name: 'bad_expr', expression: 'nope > 1' }]),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && /^check bad_expr failed in the engine: .*nope/s.test(e.message),
    );
    await assert.rejects(
      evaluateChecks(engine, 'orders', [{ type: 'regex', column: 'email', pattern: '[' }]),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && e.message.startsWith('check regex_email failed in the engine'),
    );
    await assert.rejects(
      evaluateChecks(engine, 'orders', [{ type: 'range', column: 'created_at', min: 0 }]),
      (e: unknown) => isQualityError(e, 'QUALITY_CHECK_ERROR') && e.message === 'check range_created_at: the bounds are numbers but created_at is TIMESTAMP',
    );
  });

  it('reads the data once for all row-level checks, and queries more only for what failed', async () => {
    const recorded = recordingEngine(engine);
    const passing: CheckDefinition[] = [
      { type: 'not_null', column: 'id' },
      { type: 'not_null', columns: ['status', 'amount'], name: 'nn_pair', severity: 'warn' },
      { type: 'accepted_values', column: 'status', values: ['paid', 'pending', 'refunded'] },
      { type: 'range', column: 'amount', min: -10, max: 1000 },
      { type: 'range', column: 'created_at', min: '2024-01-01' },
      { type: 'regex', column: 'status', pattern: '[a-z]+' },
      { type: 'expression', expression: 'id > 0' },
      { type: 'unique', columns: ['id', 'customer_id'] },
      { type: 'unique', column: 'email' },
      { type: 'relationships', column: 'customer_id', to: 'SELECT id FROM customers UNION ALL SELECT 99', field: 'id' },
      { type: 'row_count', min: 1 },
      { type: 'freshness', column: 'created_at', max_age: '1000d' },
      { type: 'schema', columns: { id: 'integer' } },
    ];
    const outcomes = await evaluateChecks(recorded, 'orders', passing, { now: new Date('2024-01-05T00:00:00Z') });
    assert.deepEqual(outcomes.filter((o) => !o.passed).map((o) => o.name), ['nn_pair']);
    // One aggregate query for all thirteen checks, then one sample query for the check that failed.
    assert.equal(recorded.queries.length, 2);
    assert.match(recorded.queries[1] ?? '', /WHERE \("status" IS NULL OR "amount" IS NULL\) LIMIT 5$/);

    recorded.queries.length = 0;
    const failing = await evaluateChecks(recorded, 'orders', [
      ...passing.filter((c) => c.type !== 'not_null'),
      { type: 'unique', column: 'id' },
      { type: 'unique', column: 'status' },
      { type: 'regex', column: 'email', pattern: '[^@]+@[^@]+' },
    ], { now: new Date('2024-01-05T00:00:00Z') });
    assert.deepEqual(failing.filter((o) => !o.passed).map((o) => o.name), ['unique_id', 'unique_status', 'regex_email']);
    // The aggregate query, one GROUP BY GROUPING SETS for both failed unique checks, one sample query for the regex.
    assert.equal(recorded.queries.length, 3);
    assert.match(recorded.queries[1] ?? '', /GROUPING SETS \(\("id"\), \("status"\)\)/);
  });

  it('settles severity, action and blocking defaults in the outcome', async () => {
    const outcomes = await evaluateChecks(engine, 'orders', [
      { type: 'not_null', column: 'customer_id' },
      { type: 'not_null', column: 'status', severity: 'warn' },
      { type: 'not_null', column: 'email', action: 'drop', description: 'an order without e-mail cannot be confirmed' },
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.severity, o.action, o.blocking]),
      [['error', 'fail', true], ['warn', 'warn', false], ['error', 'drop', false]],
    );
    assert.equal(outcomes[2]?.description, 'an order without e-mail cannot be confirmed');
    // All three failed; only the one that fails (rather than warns or drops) stops the commit.
    assert.deepEqual(outcomes.map((o) => [o.passed, blocksCommit(o)]), [[false, true], [false, false], [false, false]]);
  });

  it('limits and masks samples', async () => {
    const [o] = await evaluateChecks(engine, 'orders', [{ type: 'expression', expression: 'id < 2' }], {
      sampleSize: 2,
      sampleKeyColumns: ['email', 'not_a_column'],
      maskSample: (rows) => rows.map((r) => ({ ...r, email: r.email === null ? null : '***' })),
    });
    assert.equal(o?.failingRows, 4);
    assert.equal(o?.sample?.length, 2);
    for (const row of o?.sample ?? []) assert.deepEqual(Object.keys(row).sort(), ['email', 'id']);
    assert.ok(o?.sample?.every((r) => r.email === null || r.email === '***'));
    const [none] = await evaluateChecks(engine, 'orders', [{ type: 'expression', expression: 'id < 2' }], { sampleSize: 0 });
    assert.equal(none?.sample, undefined);
  });
});
