// The leisure-parks platform end to end: the operator's back office (the simulator) and the French
// communes reference into bronze, then silver and gold with their checks, then incremental runs as
// the days go by, with faults injected into the API. Run with `npm run demo` from the repository.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectorComponents } from '@strata/connectors';
import type { RunEvent } from '@strata/core';
import { StrataProject } from '@strata/core';
import { startSimulatorServer } from './simulator/index.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const scale = Number(process.env.DEMO_SCALE ?? '0.3');
const work = mkdtempSync(join(tmpdir(), 'leisure-parks-'));
const server = await startSimulatorServer({ seed: 42, scale, now: '2025-06-30T22:00:00Z' });
process.env.PARKS_API_URL = `${server.url}/v1`;
process.env.PARKS_API_KEY = server.apiKey;
process.env.STRATA_LAKE = join(work, 'lake');
process.env.STRATA_METADATA = join(work, 'runs.sqlite');

const say = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};
const project = await StrataProject.open(PROJECT, { components: connectorComponents });
const failures: string[] = [];
const onEvent = (e: RunEvent) => {
  if (e.type === 'step_failed') failures.push(e.message);
};

async function run(title: string, select?: string[]): Promise<void> {
  failures.length = 0;
  const started = Date.now();
  const outcome = await project.materialize({ select, trigger: 'demo', onEvent });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  say(`\n== ${title}: run ${outcome.status} in ${secs} s (${outcome.steps.size} steps)`);
  for (const f of failures) say(`   ${f}`);
}

async function table(sql: string): Promise<void> {
  const rows = await project.query(sql);
  if (rows.length === 0) {
    say('   (no rows)');
    return;
  }
  const cols = Object.keys(rows[0] as object);
  const text = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  say(`   ${cols.map((c, i) => c.padEnd(widths[i] as number)).join('  ')}`);
  for (const r of rows) say(`   ${cols.map((c, i) => text(r[c]).padEnd(widths[i] as number)).join('  ')}`);
}

async function bronzeCounts(): Promise<void> {
  await table(`select 'bookings' as stream, count(*) as rows, count(distinct _batch_id) as batches, max(_ingested_at) as last_load from bronze.bookings
    union all select 'customers', count(*), count(distinct _batch_id), max(_ingested_at) from bronze.customers
    union all select 'payments', count(*), count(distinct _batch_id), max(_ingested_at) from bronze.payments
    union all select 'communes', count(*), count(distinct _batch_id), max(_ingested_at) from geo.bronze.communes`);
}

try {
  say(`Simulated back office at ${server.url} (seed 42, scale ${scale}), clock ${server.sim.now}; lake in ${work}`);
  await run('initial extraction and first build');
  await bronzeCounts();
  say('\n   Net revenue per région, June 2025:');
  await table(`select region_name, net_revenue, departements from gold.revenue_by_region_month where month = date '2025-06-01' order by net_revenue desc`);

  const moved = server.sim.advanceDays(3);
  say(`\nThree days later (${moved.to}): ${moved.created.bookings} new bookings, ${moved.updated.bookings} bookings changed (cancellations, completions)`);
  await run('incremental run');
  await bronzeCounts();

  server.sim.setFaults({
    data: { duplicateRate: 0.05, negativeAmountRate: 0.02, unknownParkRate: 0.02, missingDays: ['2025-07-04'] },
    throttle: { rate: 0.05, burst: 2, retryAfterSeconds: 0 },
  });
  server.sim.advanceDays(2);
  say('\nTwo more days, with faults in the API: duplicates, negative amounts, unknown parks, a lost day, bursts of HTTP 429');
  await run('incremental run with faults');
  say('   Rows the checks kept out of silver (silver.bookings__quarantine):');
  await table(`select split_part(_reason, ':', 1) as check_name, count(*) as rows from silver.bookings__quarantine group by 1 order by 2 desc`);
  say('   Check results that did not pass in the last run:');
  const runs = await project.runs.listRuns({ limit: 1 });
  const results = await project.runs.checkResults({ runId: runs[0]?.runId });
  for (const r of results.filter((x) => !x.passed)) say(`   ${r.severity.padEnd(5)} ${r.assetKey} ${r.checkName}: ${String(r.metadata.message ?? '')}`);
  say('\n   Gold stays correct: net revenue per park, June 2025');
  await table(`select park, departement_name, net_revenue, bookings_paid from gold.revenue_by_park_month where month = date '2025-06-01' order by park`);
} finally {
  await project.close();
  await server.close();
}
