import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { tableFromArrays } from 'apache-arrow';
import { AssetGraph, StrataProject, isCoreError, loadProject, resolveAsset } from '@strata/core';
import { materialize } from '../src/execution/materialize.ts';
import { writeProject } from '@strata/core/testing';

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'strata-project-' });

const BASE: Record<string, string> = {
  'strata.yaml': 'name: parks\nmetadata: "memory:"\nresources:\n  vat: 0.2\n',
  'domains/parks/bronze/bookings.ts': `
export const bookings = {
  key: 'bronze.bookings',
  tags: ['raw'],
  compute: (ctx) => {
    ctx.log.info('loading bookings', { source: 'simulator' });
    return [
      { booking_id: 1, park_id: 1, amount: 30, status: 'confirmed', updated_at: '2026-06-01' },
      { booking_id: 2, park_id: 2, amount: 45, status: 'confirmed', updated_at: '2026-06-01' },
      { booking_id: 3, park_id: 1, amount: 20, status: 'cancelled', updated_at: '2026-06-02' },
    ];
  },
};
`,
  'domains/parks/bronze/parks.sql': `select * from (values (1, 'Annecy', '74'), (2, 'Lyon', '69')) as t(park_id, name, departement)`,
  'domains/parks/silver/bookings.sql': `/*
materialized: incremental
unique_key: booking_id
tags: [pii]
*/
select booking_id, park_id, amount, status from bronze.bookings`,
  'domains/parks/silver/parks.sql': `select park_id, name, departement from bronze.parks`,
  'domains/parks/silver/parks_history.sql': `/*
materialized: snapshot
unique_key: park_id
*/
select park_id, name from bronze.parks`,
  'domains/parks/gold/revenue.sql': `/*
description: Confirmed revenue per park.
tags: [kpi]
*/
with confirmed as (select * from silver.bookings where status = 'confirmed')
select p.name, sum(c.amount) as revenue from confirmed c join parks.silver.parks p using (park_id) group by p.name`,
  'domains/parks/gold/revenue_view.sql': `/*
materialized: view
*/
select name, revenue * 2 as doubled from gold.revenue`,
};

describe('projects', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  it('loads SQL models and TypeScript assets into one graph with inferred dependencies', async () => {
    const { graph } = await loadProject(project(BASE), engine);
    assert.deepEqual(graph.get('parks.gold.revenue').deps, ['parks.silver.bookings', 'parks.silver.parks'], 'CTE names are not dependencies');
    assert.deepEqual(graph.get('parks.silver.bookings').deps, ['parks.bronze.bookings']);
    assert.equal(graph.get('parks.bronze.bookings').kind, 'typescript');
    assert.deepEqual(graph.get('parks.silver.bookings').materialization, { kind: 'incremental', strategy: 'merge', uniqueKey: ['booking_id'] });
  });

  it('materializes every asset in one run and answers queries over them', async () => {
    const p = await StrataProject.open(project(BASE), { engine });
    try {
      const outcome = await p.materialize();
      assert.equal(outcome.status, 'success', JSON.stringify([...outcome.steps]));
      const rows = await p.query<{ name: string; revenue: number }>('select name, revenue from gold.revenue order by name');
      assert.deepEqual(rows, [
        { name: 'Annecy', revenue: 30 },
        { name: 'Lyon', revenue: 45 },
      ]);
      assert.deepEqual(await p.query('select doubled from gold.revenue_view order by doubled'), [{ doubled: 60 }, { doubled: 90 }]);
      const run = await p.runs.getRun(outcome.runId);
      assert.equal(run?.status, 'success');
      assert.equal(run?.steps.length, 7);
      const events = await p.runs.events(outcome.runId);
      assert.ok(events.some((e) => e.type === 'log' && e.message === 'loading bookings' && e.assetKey === 'parks.bronze.bookings'));
      const m = await p.runs.latestMaterialization('parks.silver.bookings');
      assert.equal(m?.rowsWritten, 3);
      assert.equal(m?.tableVersion, 0);
      // A second run merges by key: no duplicate bookings; the snapshot keeps one current row per park.
      assert.equal((await p.materialize({ select: ['+gold.revenue', 'silver.parks_history'] })).status, 'success');
      assert.deepEqual(await p.query('select count(*) as n from silver.bookings'), [{ n: 3 }]);
      assert.deepEqual(await p.query('select count(*) as n from silver.parks_history where is_current'), [{ n: 2 }]);
    } finally {
      await p.close();
    }
  });

  it('reports user errors with the asset, skips downstream, and re-executes only what failed', async () => {
    const files = {
      ...BASE,
      'domains/parks/silver/parks.sql': `select park_id, name, departement, 1 / (select count(*) from bronze.parks where name = 'Nowhere') as boom from bronze.parks where error('parks are broken') is null`,
    };
    const dir = project(files);
    const p = await StrataProject.open(dir, { engine });
    try {
      const failed = await p.materialize({ select: '+gold.revenue' });
      assert.equal(failed.status, 'failed');
      assert.equal(failed.steps.get('parks.silver.parks'), 'failed');
      assert.equal(failed.steps.get('parks.gold.revenue'), 'skipped');
      assert.equal(failed.steps.get('parks.silver.bookings'), 'success');
      const failure = (await p.runs.events(failed.runId)).find((e) => e.type === 'step_failed');
      assert.match(failure?.message ?? '', /parks are broken/);
      assert.equal(failure?.data?.errorKind, 'user', 'an error in a model\'s SQL is the user\'s');
      assert.match(failure?.message ?? '', /silver\/parks\.sql/);
      writeFileSync(join(dir, 'domains/parks/silver/parks.sql'), BASE['domains/parks/silver/parks.sql'] as string);
      const fixed = await StrataProject.open(dir, { engine, runs: p.runs });
      const again = await fixed.reexecute(failed.runId);
      assert.equal(again.status, 'success');
      assert.deepEqual([...again.steps.keys()].sort(), ['parks.gold.revenue', 'parks.silver.parks']);
      assert.equal((await fixed.runs.getRun(again.runId))?.parentRunId, failed.runId);
    } finally {
      await p.close();
    }
  });

  it('gives clear errors for bad configuration and definitions', async () => {
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'strata.yaml': 'name: parks\nexecution:\n  concurrency: 0\n' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_CONFIG') && /strata\.yaml:3: execution\.concurrency/.test(e.message),
    );
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/gold/bad.sql': 'select * from bronze.bookings' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_LAYER_RULE') && /parks\.gold\.bad/.test(e.message),
    );
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/silver/typo.sql': 'select * from bronze.bookngs' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_MISSING_DEPENDENCY') && /parks\.bronze\.bookngs/.test(e.message),
    );
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/silver/broken.sql': 'select from where' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_DEFINITION') && /broken\.sql: invalid SQL/.test(e.message),
    );
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/silver/hdr.sql': '/*\nmaterialized: tabel\n*/\nselect 1 as x' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_CONFIG') && /hdr\.sql:2: materialized/.test(e.message),
    );
  });

  it('stores rows that compute returns as an Arrow table or an async iterable', async () => {
    const dir = project({
      'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
      'domains/parks/bronze/marker.sql': 'select 1 as x',
    });
    const p = await StrataProject.open(dir, { engine });
    try {
      const arrow = tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'] });
      async function* stream() {
        for (let i = 0; i < 1000; i++) yield { id: i, even: i % 2 === 0 };
      }
      const graph = AssetGraph.build(
        [
          resolveAsset({ key: 'bronze.arrow', compute: () => arrow }, 'parks'),
          resolveAsset({ key: 'bronze.stream', compute: () => ({ rows: stream(), metadata: { source: 'generator' } }) }, 'parks'),
        ],
        { layers: ['bronze', 'silver', 'gold'], forbidGoldFromBronze: true },
      );
      const env = { lakehouse: p.lakehouse, runId: 'r', resources: {}, runTags: {} };
      const attempt = { signal: new AbortController().signal, log: () => undefined };
      const a = await materialize(graph.get('parks.bronze.arrow'), { id: 'parks.bronze.arrow', key: 'parks.bronze.arrow', after: [] }, env, attempt);
      const b = await materialize(graph.get('parks.bronze.stream'), { id: 'parks.bronze.stream', key: 'parks.bronze.stream', after: [] }, env, attempt);
      assert.equal(a.rowsWritten, 3);
      assert.equal(b.rowsWritten, 1000);
      assert.equal(b.metadata?.source, 'generator');
      assert.equal((b.metadata?.metrics as { rowCount: number }).rowCount, 1000, 'metrics of the written rows are recorded');
      assert.deepEqual(await p.query('select * from bronze.arrow order by id'), [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c' },
      ]);
      assert.deepEqual(await p.query('select count(*) filter (where even)::INTEGER as n from bronze.stream'), [{ n: 500 }]);
    } finally {
      await p.close();
    }
  });
});
