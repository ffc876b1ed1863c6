import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { StrataProject, isCoreError } from '@strata/core';
import { writeProject } from '@strata/core/testing';

const TMP = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'checks-', under: TMP });

const BASE = {
  'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
  'domains/parks/bronze/parks.sql': `SELECT * FROM (VALUES (1, 'Annecy'), (2, 'Vichy')) v(park_id, name)`,
  'domains/parks/bronze/bookings.sql': `SELECT * FROM (VALUES (10, 1, 50.0, 'confirmed', NULL), (11, 2, -5.0, 'confirmed', NULL),
    (12, 9, 20.0, 'cancelled', NULL), (13, 1, 30.0, 'cancelled', DATE '2024-06-01')) v(booking_id, park_id, amount, status, cancelled_on)`,
};

describe('checks in the orchestrator', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  it('fails the step before the commit on a failing blocking check, skips downstream and records why', async () => {
    const dir = project({
      ...BASE,
      'domains/parks/silver/bookings.sql': `/*
checks:
  - { type: range, column: amount, min: 0 }
  - { type: relationships, column: park_id, to: bronze.parks, field: park_id, severity: warn }
*/
select * from bronze.bookings`,
      'domains/parks/gold/revenue.sql': 'select park_id, sum(amount) as revenue from silver.bookings group by park_id',
    });
    const p = await StrataProject.open(dir, { engine });
    try {
      assert.ok(p.graph.get('parks.silver.bookings').deps.includes('parks.bronze.parks'), 'relationships target is a dependency');
      const outcome = await p.materialize();
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.steps.get('parks.silver.bookings'), 'failed');
      assert.equal(outcome.steps.get('parks.gold.revenue'), 'skipped');
      assert.equal(await (await p.lakehouse.table('parks.silver.bookings')).exists(), false, 'nothing committed');
      const results = await p.runs.checkResults({ assetKey: 'parks.silver.bookings' });
      const byName = new Map(results.map((r) => [r.checkName, r]));
      assert.equal(byName.get('range_amount')?.passed, false);
      assert.equal(byName.get('range_amount')?.failingRows, 1);
      assert.match(String(byName.get('range_amount')?.metadata.message), /amount/);
      assert.deepEqual((byName.get('range_amount')?.metadata.sample as { amount: number }[])[0]?.amount, -5);
      assert.equal(byName.get('relationships_park_id__park_id__bronze_parks')?.passed, false);
      assert.equal(byName.get('relationships_park_id__park_id__bronze_parks')?.severity, 'warn');
      const events = await p.runs.events(outcome.runId);
      const failed = events.find((e) => e.type === 'step_failed' && e.assetKey === 'parks.silver.bookings');
      assert.equal(failed?.data?.code, 'CORE_CHECK_FAILED');
      assert.match(failed?.message ?? '', /range_amount.*nothing was committed/);
      assert.ok(events.some((e) => e.type === 'check_result' && e.level === 'warn'));
    } finally {
      await p.close();
    }
  });

  it('drops failing rows into the quarantine table and writes the rest; warnings only record', async () => {
    const dir = project({
      ...BASE,
      'domains/parks/silver/bookings.sql': `/*
checks:
  - { type: range, column: amount, min: 0, action: drop }
  - { type: relationships, column: park_id, to: bronze.parks, field: park_id, action: drop }
  - { type: expression, name: cancelled_has_date, expression: "status <> 'cancelled' OR cancelled_on IS NOT NULL", severity: warn }
  - { type: row_count, min: 1 }
*/
select * from bronze.bookings`,
    });
    const p = await StrataProject.open(dir, { engine });
    try {
      const outcome = await p.materialize();
      assert.equal(outcome.status, 'success');
      assert.deepEqual((await p.query('select booking_id from silver.bookings order by 1')).map((r) => r.booking_id), [10, 13]);
      const q = await p.query('select booking_id, _reason, _run_id from silver.bookings__quarantine order by 1');
      assert.deepEqual(q.map((r) => r.booking_id), ['11', '12'], 'values are kept as text');
      assert.match(String(q[0]?._reason), /range_amount/);
      assert.match(String(q[1]?._reason), /relationships/);
      assert.equal(q[0]?._run_id, outcome.runId);
      const results = await p.runs.checkResults({ runId: outcome.runId });
      const warn = results.find((r) => r.checkName === 'cancelled_has_date');
      assert.equal(warn?.passed, true, 'the cancelled booking without a date was dropped by the relationships check');
      const mats = await p.runs.materializations('parks.silver.bookings');
      assert.equal(mats[0]?.metadata.rows_quarantined, 2);
      assert.equal(results.find((r) => r.checkName === 'row_count')?.tableVersion, mats[0]?.tableVersion);
    } finally {
      await p.close();
    }
  });

  it('casts text columns, sending values that do not convert to quarantine raw, with the SQL helpers', async () => {
    const dir = project({
      'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
      'domains/parks/silver/payments.sql': `/*
casts: { amount: "DECIMAL(10,2)", paid_on: DATE }
checks:
  - { type: range, column: amount, min: 0, action: drop }
*/
select id, clean_text(amount_raw) as amount, clean_text(day) as paid_on, normalize_phone(phone) as phone
from (values (1, '12.50', '2024-06-01', '06 12 34 56 78'), (2, 'abc', '2024-06-02', null), (3, 'NA', '2024-06-03', null),
             (4, '5', '2024-13-01', null), (5, '-3', '2024-06-04', null)) v(id, amount_raw, day, phone)`,
    });
    const p = await StrataProject.open(dir, { engine });
    try {
      assert.equal((await p.materialize()).status, 'success');
      const kept = await p.query('select id, cast(amount as varchar) as amount, typeof(amount) as t, typeof(paid_on) as d, phone from silver.payments order by id');
      assert.deepEqual(kept, [
        { id: 1, amount: '12.50', t: 'DECIMAL(10,2)', d: 'DATE', phone: '+33612345678' },
        { id: 3, amount: null, t: 'DECIMAL(10,2)', d: 'DATE', phone: null },
      ]);
      const q = await p.query<{ id: string; amount: string; _reason: string }>('select id, amount, _reason from silver.payments__quarantine order by id');
      assert.deepEqual(q.map((r) => [r.id, r.amount]), [
        ['2', 'abc'],
        ['4', '5'],
        ['5', '-3.00'],
      ]);
      assert.match(q[0]?._reason ?? '', /cast_amount/);
      assert.match(q[1]?._reason ?? '', /cast_paid_on/);
      assert.match(q[2]?._reason ?? '', /range_amount/);
    } finally {
      await p.close();
    }
  });

  it('checks the rows an asset committed itself, and names the file of an invalid check', async () => {
    const dir = project({
      ...BASE,
      'domains/parks/bronze/events.ts': `
export default {
  key: 'bronze.events',
  checks: [{ type: 'not_null', column: 'kind' }],
  compute: async (ctx) => {
    const t = await ctx.lake.table();
    await t.write("SELECT 1 AS id, NULL::VARCHAR AS kind", { mode: 'append' });
    return { metadata: { loaded: 1 }, rowsWritten: 1 };
  },
};`,
    });
    const p = await StrataProject.open(dir, { engine });
    try {
      const outcome = await p.materialize({ select: 'bronze.events' });
      assert.equal(outcome.status, 'failed');
      const [r] = await p.runs.checkResults({ assetKey: 'parks.bronze.events' });
      assert.equal(r?.checkName, 'not_null_kind');
      assert.equal(r?.failingRows, 1);
    } finally {
      await p.close();
    }
    const bad = project({ ...BASE, 'domains/parks/silver/x.sql': `/*\nchecks:\n  - { type: range, column: amount }\n*/\nselect * from bronze.bookings` });
    await assert.rejects(
      () => StrataProject.open(bad, { engine }),
      (e: unknown) => isCoreError(e) && /x\.sql:3/.test(e.message) && /min/.test(e.message),
    );
  });
});
