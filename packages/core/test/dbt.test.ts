import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDbEngine } from '@strata/delta';
import type { DbtBuildResult, DbtRunOptions, RunStorage } from '@strata/core';
import { isCoreError, loadDbtProject, openRunStorage, runDbtBuild } from '@strata/core';

const FIXTURE = fileURLToPath(new URL('./fixtures/dbt-shop', import.meta.url));

/** A copy of the fixture project with some files replaced (or removed when the text is null). */
function shop(changes: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-dbt-'));
  cpSync(FIXTURE, dir, { recursive: true });
  for (const [path, text] of Object.entries(changes)) {
    if (text === null) rmSync(join(dir, path));
    else writeFileSync(join(dir, path), text);
  }
  return dir;
}

const statusOf = (r: DbtBuildResult, name: string) => r.results.find((x) => x.name === name)?.status;

describe('dbt projects', () => {
  let engine: DuckDbEngine;
  let runs: RunStorage;
  before(async () => {
    engine = await DuckDbEngine.create();
    runs = await openRunStorage('memory:');
  });
  after(async () => {
    await runs.close();
    await engine.close();
  });
  const build = (dir: string, options: DbtRunOptions = {}) => runDbtBuild(dir, { engine, runs, concurrency: 2, ...options });

  it('maps the project onto one domain: seeds and sources in bronze, staging in silver, marts in gold', async () => {
    const p = await loadDbtProject(FIXTURE);
    assert.equal(p.domain, 'jaffle_fixture');
    const layers = Object.fromEntries(p.graph.assets().map((a) => [a.name, `${a.layer} ${a.kind} ${a.materialization.kind}`]));
    assert.deepEqual(layers, {
      raw_customers: 'bronze dbt_seed table',
      raw_orders: 'bronze dbt_seed table',
      raw_payments: 'bronze dbt_seed table',
      stg_customers: 'silver dbt_model view',
      stg_orders: 'silver dbt_model view',
      stg_payments: 'silver dbt_model view',
      order_payments: 'gold dbt_model view',
      orders: 'gold dbt_model table',
      customers: 'gold dbt_model table',
      order_history: 'gold dbt_model incremental',
    });
    assert.deepEqual(p.graph.get('jaffle_fixture.gold.orders').deps, ['jaffle_fixture.gold.order_payments', 'jaffle_fixture.silver.stg_orders']);
    assert.deepEqual(p.graph.get('jaffle_fixture.silver.stg_orders').deps, ['jaffle_fixture.bronze.raw_orders'], 'the source is the seed');
    assert.deepEqual(p.graph.get('jaffle_fixture.silver.stg_payments').tags, ['staging', 'payments']);
    assert.equal(p.graph.get('jaffle_fixture.gold.orders').description, 'One row per order, with its payments by method.');
    assert.equal(p.tests.length, 18);
    assert.deepEqual(p.tests.find((t) => t.kind === 'singular')?.deps, ['jaffle_fixture.gold.orders']);
  });

  it('builds seeds, models and tests into Delta tables, recorded as a Strata run', async () => {
    const r = await build(shop());
    assert.equal(r.status, 'success');
    assert.deepEqual(r.counts, { pass: 28, warn: 0, error: 0, skip: 0, total: 28 });
    const customers = await engine.query(
      'select customer_id, first_name, number_of_orders, customer_lifetime_value from jaffle_fixture.gold.customers order by customer_id',
    );
    assert.deepEqual(customers, [
      { customer_id: 1, first_name: 'Michael', number_of_orders: 3, customer_lifetime_value: 35.5 },
      { customer_id: 2, first_name: 'Shawn', number_of_orders: 1, customer_lifetime_value: 25 },
      { customer_id: 3, first_name: 'Kathleen', number_of_orders: 3, customer_lifetime_value: 43 },
      { customer_id: 4, first_name: 'Jimmy', number_of_orders: 1, customer_lifetime_value: 16 },
      { customer_id: 5, first_name: 'Katherine', number_of_orders: null, customer_lifetime_value: null },
    ]);
    const order3 = await engine.query('select credit_card_amount, coupon_amount, gift_card_amount, amount from jaffle_fixture.gold.orders where order_id = 3');
    assert.deepEqual(order3, [{ credit_card_amount: 1.5, coupon_amount: 1, gift_card_amount: 0, amount: 2.5 }]);
    const [idType] = await engine.query<{ column_type: string }>("select column_type from (describe jaffle_fixture.bronze.raw_customers) where column_name = 'id'");
    assert.equal(idType?.column_type, 'BIGINT', 'column_types of the seed');

    const run = await runs.getRun(r.runId);
    assert.equal(run?.status, 'success');
    assert.equal(run?.trigger, 'dbt build');
    assert.ok(run?.steps.includes('test:relationships_orders_customer_id__customer_id__ref_customers_'));
    const checks = await runs.checkResults({ runId: r.runId });
    assert.equal(checks.length, 18);
    assert.ok(checks.every((c) => c.passed && c.failingRows === 0));
    assert.deepEqual((await runs.materializations('jaffle_fixture.gold.orders')).map((m) => m.runId), [r.runId], 'tests record no materialization');
  });

  it('merges incremental models into their table on the next build, and rebuilds them on --full-refresh', async () => {
    const dir = shop();
    await build(dir);
    const again = await build(dir);
    assert.equal(again.status, 'success');
    assert.match(again.results.find((x) => x.name === 'order_history')?.message ?? '', /^MERGE 0 inserted, 1 updated$/, 'is_incremental() read {{ this }}');
    assert.deepEqual(await engine.query('select count(*)::INTEGER as n from jaffle_fixture.gold.order_history'), [{ n: 8 }]);
    const full = await build(dir, { fullRefresh: true });
    assert.equal(full.results.find((x) => x.name === 'order_history')?.message, 'CREATE TABLE 8');
  });

  it('reports a failing test as ERROR and skips what is downstream, as dbt build does', async () => {
    const dir = shop({
      'seeds/raw_orders.csv': 'id,user_id,order_date,status\n1,1,2018-01-01,returned\n2,3,2018-01-02,lost\n3,1,2018-01-04,completed\n',
      'seeds/raw_payments.csv': 'id,order_id,payment_method,amount\n1,1,credit_card,1000\n2,2,cheque,2000\n',
    });
    const r = await build(dir);
    assert.equal(r.status, 'failed');
    const name = 'accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned';
    assert.equal(statusOf(r, name), 'fail');
    assert.equal(r.results.find((x) => x.name === name)?.failures, 1);
    assert.equal(statusOf(r, 'accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card'), 'warn', 'severity warn does not block');
    for (const skipped of ['orders', 'customers', 'order_history', 'assert_order_amounts_add_up', 'unique_customers_customer_id']) assert.equal(statusOf(r, skipped), 'skipped', skipped);
    assert.equal(statusOf(r, 'order_payments'), 'success', 'not downstream of stg_orders');
    assert.deepEqual(r.counts, { pass: 14, warn: 1, error: 1, skip: 12, total: 28 });
    const failed = (await runs.checkResults({ runId: r.runId })).filter((c) => !c.passed);
    assert.deepEqual(failed.map((c) => [c.checkName, c.severity, c.failingRows]).sort(), [
      [name, 'error', 1],
      ['accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card', 'warn', 1],
    ]);
  });

  it('reports a model that fails as ERROR and skips its downstream nodes', async () => {
    const r = await build(shop({ 'models/staging/stg_payments.sql': 'select id as payment_id, order_id, payment_method, amount / nope as amount from {{ ref("raw_payments") }}' }));
    assert.equal(statusOf(r, 'stg_payments'), 'error');
    assert.match(r.results.find((x) => x.name === 'stg_payments')?.message ?? '', /nope/);
    assert.equal(statusOf(r, 'customers'), 'skipped');
    assert.equal(statusOf(r, 'stg_orders'), 'success');
    assert.equal(r.counts.error, 1);
    const hidden = await build(shop({ 'models/customers.sql': "select 1 as customer_id {% if execute %}from {{ ref('stg_orders') }}{% endif %}" }));
    assert.match(hidden.results.find((x) => x.name === 'customers')?.message ?? '', /models\/customers\.sql: jaffle_fixture\.silver\.stg_orders is read only when the model runs .*depends_on/);
  });

  it('names the file and line of a Jinja error before anything runs', async () => {
    const dir = shop({ 'models/customers.sql': "select *\nfrom {{ ref('stg_customers') }}\nwhere {% if var('only_active' %} active {% endif %}" });
    await assert.rejects(loadDbtProject(dir), (e: unknown) => isCoreError(e, 'CORE_INVALID_DEFINITION') && /^models\/customers\.sql:3: Jinja syntax error/.test(e.message));
    const unknownRef = shop({ 'models/customers.sql': "select 1 as customer_id\n\nfrom {{ ref('stg_clients') }}" });
    await assert.rejects(loadDbtProject(unknownRef), (e: unknown) => isCoreError(e, 'CORE_MISSING_DEPENDENCY') && /^models\/customers\.sql:3: ref\('stg_clients'\): no model or seed named stg_clients/.test(e.message));
  });

  it('fails clearly when a source table is missing', async () => {
    const dir = shop({
      'models/staging/schema.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: raw_orders\n        identifier: orders_from_app\n',
    });
    await assert.rejects(build(dir), (e: unknown) => isCoreError(e, 'CORE_MISSING_DEPENDENCY') && /source shop\.raw_orders .*jaffle_fixture\.bronze\.orders_from_app does not exist/.test(e.message));
  });

  it('reads a source from a table already in the lake', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'strata-dbt-lake-'));
    const dir = shop({
      'models/staging/schema.yml': 'version: 2\nsources:\n  - name: shop\n    schema: silver\n    tables:\n      - name: raw_orders\n        identifier: app_orders\n',
    });
    const loader = shop({ 'dbt_project.yml': "name: 'jaffle_fixture'\nmodels:\n  jaffle_fixture:\n    +materialized: table\n" });
    writeFileSync(join(loader, 'models/staging/schema.yml'), 'version: 2\n');
    writeFileSync(join(loader, 'models/staging/app_orders.sql'), "{{ config(strata_layer='silver') }}\nselect * from {{ ref('raw_orders') }}");
    for (const f of ['stg_orders', 'stg_customers', 'stg_payments']) rmSync(join(loader, `models/staging/${f}.sql`));
    for (const f of ['customers', 'orders', 'order_payments', 'order_history', 'schema']) rmSync(join(loader, `models/${f}.${f === 'schema' ? 'yml' : 'sql'}`));
    rmSync(join(loader, 'tests/assert_order_amounts_add_up.sql'));
    assert.equal((await build(loader, { lake })).status, 'success');
    const r = await build(dir, { lake });
    assert.equal(r.status, 'success');
    assert.deepEqual(await engine.query('select count(*)::INTEGER as n from jaffle_fixture.gold.orders'), [{ n: 8 }]);
  });
});
