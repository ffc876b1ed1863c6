import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { StrataProject, isCoreError } from '@strata/core';
import { DuckDbEngine } from '@strata/delta';
import { connectorComponents } from '@strata/connectors';
import { writeProject } from '@strata/core/testing';

const URL = process.env.STRATA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TMP = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'components-', under: TMP });

describe('connector components in a project (PostgreSQL)', () => {
  const schema = `strata_test_${randomBytes(5).toString('hex')}`;
  let client: pg.Client;
  let engine: DuckDbEngine;
  before(async () => {
    client = new pg.Client({ connectionString: URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.bookings (id int PRIMARY KEY, park text NOT NULL, amount numeric(10,2), updated_at timestamptz NOT NULL)`);
    await client.query(`INSERT INTO ${schema}.bookings SELECT n, CASE WHEN n % 2 = 0 THEN 'annecy' ELSE 'vichy' END, n * 1.5,
      TIMESTAMPTZ '2024-06-01 00:00:00+00' + n * INTERVAL '1 minute' FROM generate_series(1, 500) n`);
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
    await engine.close();
  });

  it('loads a table incrementally into bronze and exports a gold table back', async () => {
    process.env.STRATA_TEST_PG_URL = URL;
    const dir = project({
      'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
      'domains/parks/bronze/backoffice.yaml': `component: postgres_source
connection: \${STRATA_TEST_PG_URL}
asset_prefix: backoffice_
streams:
  - name: bookings
    table: ${schema}.bookings
    cursor: { column: updated_at }
    primary_key: [id]
    chunk_size: 100
checks:
  - { type: not_null, column: park }
`,
      'domains/parks/silver/bookings.sql': `select distinct on (id) id, park, amount from bronze.backoffice_bookings order by id, _ingested_at desc`,
      'domains/parks/gold/revenue.sql': `select park, sum(amount) as revenue, count(*) as bookings from silver.bookings group by park`,
      'domains/parks/gold/revenue_to_crm.yaml': `component: postgres_export
connection: \${STRATA_TEST_PG_URL}
from: gold.revenue
table: ${schema}.revenue
mode: upsert
keys: [park]
max_bytes_per_second: 1000000
`,
    });
    const p = await StrataProject.open(dir, { engine, components: connectorComponents });
    try {
      assert.deepEqual(p.graph.get('parks.gold.revenue_to_crm').deps, ['parks.gold.revenue']);
      const first = await p.materialize();
      assert.equal(first.status, 'success');
      const [bronze] = await p.query<{ n: number; batches: number }>('select count(*) as n, count(distinct _batch_id) as batches from bronze.backoffice_bookings');
      assert.deepEqual(bronze, { n: 500, batches: 1 }, 'the chunks of 100 rows are committed together');
      const mat = (await p.runs.materializations('parks.bronze.backoffice_bookings'))[0];
      assert.equal(mat?.rowsWritten, 500);
      assert.equal(mat?.metadata.extraction, 'initial');
      const exported = await client.query(`SELECT park, revenue::text AS revenue, bookings FROM ${schema}.revenue ORDER BY park`);
      const expected = await p.query<{ park: string; revenue: string; bookings: number }>('select park, cast(revenue as varchar) as revenue, bookings from gold.revenue order by park');
      assert.deepEqual(
        exported.rows.map((r: { park: string; revenue: string; bookings: string | number }) => [r.park, r.revenue, Number(r.bookings)]),
        expected.map((r) => [r.park, r.revenue, Number(r.bookings)]),
      );
      // Changes in the source reach bronze incrementally and the export upserts them.
      await client.query(`UPDATE ${schema}.bookings SET amount = 1000, updated_at = now() WHERE id = 2`);
      await client.query(`INSERT INTO ${schema}.bookings VALUES (501, 'annecy', 10, now())`);
      const second = await p.materialize();
      assert.equal(second.status, 'success');
      const [again] = await p.query<{ n: number }>('select count(*) as n from bronze.backoffice_bookings');
      assert.equal(again?.n, 502, 'only the changed and the new row were appended');
      assert.equal((await p.runs.materializations('parks.bronze.backoffice_bookings'))[0]?.metadata.extraction, 'incremental');
      const annecy = await client.query(`SELECT revenue::text AS revenue FROM ${schema}.revenue WHERE park = 'annecy'`);
      const [gold] = await p.query<{ revenue: string }>("select cast(revenue as varchar) as revenue from gold.revenue where park = 'annecy'");
      assert.equal(annecy.rows[0]?.revenue, gold?.revenue);
      const checks = await p.runs.checkResults({ assetKey: 'parks.bronze.backoffice_bookings' });
      assert.ok(checks.length >= 2 && checks.every((c) => c.passed && c.checkName === 'not_null_park'));
    } finally {
      await p.close();
    }
  });

  it('reports a mistake in a component file with the file, the line and the expected shape', async () => {
    const dir = project({
      'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
      'domains/parks/gold/x.yaml': `component: postgres_export
connection: postgres://postgres@127.0.0.1/postgres
from: gold.revenue
table: t
mode: upsert
`,
    });
    await assert.rejects(
      () => StrataProject.open(dir, { engine, components: connectorComponents }),
      (e: unknown) => isCoreError(e) && /x\.yaml/.test(e.message) && /keys/.test(e.message),
    );
  });
});
