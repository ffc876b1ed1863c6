import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectorComponents } from '@strata/connectors';
import { StrataProject } from '@strata/core';
import type { SimulatorServer } from './simulator/index.ts';
import { startSimulatorServer } from './simulator/index.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../packages/cli/bin/strata.js', import.meta.url));

/**
 * The example platform end to end against the simulated back office: initial extraction, incremental
 * runs as the simulated clock moves, faults caught by the right checks, gold equal to the truth.
 */
describe('leisure-parks platform', () => {
  let server: SimulatorServer;
  let project: StrataProject;
  before(async () => {
    server = await startSimulatorServer({ seed: 7, scale: 0.05, now: '2025-06-30T22:00:00Z' });
    const work = mkdtempSync(join(tmpdir(), 'leisure-parks-test-'));
    process.env.PARKS_API_URL = `${server.url}/v1`;
    process.env.PARKS_API_KEY = server.apiKey;
    process.env.STRATA_LAKE = join(work, 'lake');
    process.env.STRATA_METADATA = join(work, 'runs.sqlite');
    project = await StrataProject.open(PROJECT, { components: connectorComponents });
  });
  after(async () => {
    await project?.close();
    await server?.close();
  });

  const count = async (sql: string) => Number((await project.query<{ n: number }>(sql))[0]?.n);

  it('extracts everything first, then only what changed, exactly once', async () => {
    const first = await project.materialize();
    assert.equal(first.status, 'success');
    const truth = server.sim.counts();
    for (const entity of ['parks', 'customers', 'bookings', 'payments', 'cancellations'] as const) {
      assert.equal(await count(`select count(*) as n from bronze.${entity}`), truth[entity], `bronze.${entity} holds every record once`);
    }
    assert.equal(await count('select count(*) as n from geo.bronze.communes'), 37590);
    const moved = server.sim.advanceDays(2);
    assert.ok(moved.created.bookings > 0 && moved.updated.bookings > 0);
    const before = await count('select count(*) as n from bronze.bookings');
    assert.equal((await project.materialize()).status, 'success');
    const added = (await count('select count(*) as n from bronze.bookings')) - before;
    assert.ok(added >= moved.created.bookings + moved.updated.bookings, 'new and changed bookings appended (plus the look-back overlap)');
    assert.ok(added < before / 2, 'only the increment was extracted');
    const mat = (await project.runs.materializations('parks.bronze.bookings'))[0];
    assert.equal(mat?.metadata.extraction, 'incremental');
    // Silver holds the latest version of each booking, as the back office has it.
    const stored = server.sim.records('bookings');
    assert.equal(await count('select count(*) as n from silver.bookings'), stored.length);
    const cancelled = stored.filter((b) => b.status === 'cancelled').length;
    assert.equal(await count("select count(*) as n from silver.bookings where status = 'cancelled'"), cancelled);
  });

  it('catches injected faults with the right checks and keeps gold equal to the truth', async () => {
    server.sim.setFaults({ data: { duplicateRate: 0.1, negativeAmountRate: 0.05, unknownParkRate: 0.05 } });
    server.sim.advanceDays(3);
    const outcome = await project.materialize();
    assert.equal(outcome.status, 'success');
    const reasons = await project.query<{ check: string; n: number }>(
      "select split_part(_reason, ':', 1) as check, count(*) as n from silver.bookings__quarantine where _run_id = '" + outcome.runId + "' group by 1",
    );
    const byCheck = new Map(reasons.map((r) => [r.check, Number(r.n)]));
    assert.ok((byCheck.get('relationships_park_id__park_id__silver_parks') ?? 0) > 0, 'unknown parks quarantined');
    assert.ok((byCheck.get('range_amount') ?? 0) > 0, 'negative amounts quarantined');
    const dupes = (await project.runs.checkResults({ runId: outcome.runId })).find((r) => r.assetKey === 'parks.bronze.bookings' && r.checkName === 'no_duplicate_records');
    assert.equal(dupes?.passed, false, 'records served twice are flagged in bronze');
    // No booking is counted twice and no flipped amount reaches silver.
    assert.equal(await count('select count(*) - count(distinct booking_id) as n from silver.bookings'), 0);
    assert.equal(await count('select count(*) as n from silver.bookings where amount < 0'), 0);
    // Gold revenue equals the back office's true payments for the payments silver kept.
    const kept = new Set((await project.query<{ id: number }>('select payment_id as id from silver.payments')).map((r) => Number(r.id)));
    const truth = server.sim.records('payments').filter((p) => kept.has(p.id));
    const bookingsKept = new Set((await project.query<{ id: number }>('select booking_id as id from silver.bookings')).map((r) => Number(r.id)));
    const expected = truth.filter((p) => bookingsKept.has(p.booking_id)).reduce((s, p) => s + Math.round(p.amount * 100), 0);
    const gold = await count('select cast(round(sum(net_revenue) * 100) as bigint) as n from gold.revenue_by_park_month');
    assert.equal(gold, expected);
    const byRegion = await count('select cast(round(sum(net_revenue) * 100) as bigint) as n from gold.revenue_by_region_month');
    assert.equal(byRegion, expected, 'région totals add up to the park totals');
  });

  it('flags a day the back office lost', async () => {
    server.sim.setFaults({ data: { duplicateRate: 0, negativeAmountRate: 0, unknownParkRate: 0, missingDays: ['2025-07-06'] } });
    server.sim.advanceDays(2);
    const outcome = await project.materialize();
    assert.equal(outcome.status, 'success');
    const missing = (await project.runs.checkResults({ runId: outcome.runId })).find((r) => r.checkName === 'no_missing_season_day');
    assert.equal(missing?.passed, false);
    assert.deepEqual((missing?.metadata.sample as { day: string }[]).map((r) => String(r.day).slice(0, 10)), ['2025-07-06']);
  });

  it('runs with strata materialize from the command line', async () => {
    server.sim.setFaults({ data: { missingDays: [] } });
    server.sim.advanceDays(1);
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'materialize', '--select', 'bronze.bookings+'], { cwd: PROJECT, env });
    assert.match(stdout, /run [0-9a-f-]+: success/);
  });
});
