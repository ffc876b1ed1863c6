import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { StrataProject } from '@strata/core';
import { writeProject } from '@strata/core/testing';

/**
 * Daily bookings of a seasonal business: about 100 on weekdays, 300 on Saturdays and Sundays, with
 * noise; one Saturday (2025-06-21) collapses to 25. A row_count monitor with weekday seasonality
 * judges each daily partition against the same weekdays before it.
 */
const MODEL = `/*
partitions: { daily: "2025-04-01", column: day }
materialized: incremental
incremental_strategy: replace_partition
monitors:
  - { metric: row_count, seasonality: auto, time_zone: UTC }
*/
with d as (select cast(getvariable('partition_key') as date) as day),
n as (select case when dayofweek(day) in (0, 6) then 300 else 100 end
  + cast((hash(day) % 21) as integer) - 10 as n, day from d)
select day, range as booking from n, range(case when day = date '2025-06-21' then 25 else n.n end)`;

describe('anomaly monitors in the orchestrator', () => {
  let engine: DuckDbEngine;
  let p: StrataProject;
  before(async () => {
    engine = await DuckDbEngine.create();
    p = await StrataProject.open(writeProject({ 'strata.yaml': 'name: parks\nmetadata: "memory:"\n', 'domains/parks/silver/daily_bookings.sql': MODEL }), { engine });
  });
  after(async () => {
    await p.close();
    await engine.close();
  });

  const verdictOf = async (runId: string) => (await p.runs.checkResults({ runId })).find((r) => r.checkName === 'monitor:row_count');

  it('records metrics, says when history is short, keeps the weekend peak and flags a sudden drop', async () => {
    const result = await p.backfill({ select: 'silver.daily_bookings', from: '2025-04-01', to: '2025-06-22', parallelism: 1 });
    assert.equal([...result.runs.values()].every((r) => r.status === 'success'), true);
    const mats = await p.runs.materializations('parks.silver.daily_bookings', { limit: 500 });
    const first = mats.find((m) => m.partition === '2025-04-01');
    assert.equal((first?.metadata.metrics as { rowCount: number }).rowCount > 0, true);
    assert.equal((first?.metadata.metrics as { columns: Record<string, { nullRate: number }> }).columns.day?.nullRate, 0);
    const early = await verdictOf((result.runs.get('2025-04-02') as { runId: string }).runId);
    assert.equal(early?.passed, true);
    assert.equal((early?.metadata.metrics as { status: string }).status, 'insufficient_history');
    const saturday = await verdictOf((result.runs.get('2025-06-14') as { runId: string }).runId);
    assert.equal((saturday?.metadata.metrics as { status: string }).status, 'ok', 'a normal Saturday peak is not flagged');
    assert.equal((saturday?.metadata.metrics as { seasonal: string }).seasonal, 'weekday');
    const sunday = await verdictOf((result.runs.get('2025-06-22') as { runId: string }).runId);
    assert.equal(sunday?.passed, true);
    const drop = await verdictOf((result.runs.get('2025-06-21') as { runId: string }).runId);
    assert.equal(drop?.passed, false, 'the collapsed Saturday is flagged');
    assert.equal(drop?.severity, 'warn');
    assert.match(String(drop?.metadata.message), /25/);
  });

  it('stops alarming on a value marked expected', async () => {
    const runId = (await p.runs.checkResults({ assetKey: 'parks.silver.daily_bookings', limit: 500 })).find(
      (r) => r.partition === '2025-06-21' && r.checkName === 'monitor:row_count',
    )?.runId as string;
    await p.markExpected('silver.daily_bookings', 'monitor:row_count', runId, '2025-06-21');
    await assert.rejects(() => p.markExpected('silver.daily_bookings', 'monitor:nope', runId, '2025-06-21'), /no result of monitor:nope/);
    // Judged again, the marked day no longer alarms; the next Saturday is judged normally.
    const again = await p.materialize({ select: 'silver.daily_bookings', partitions: ['2025-06-21'] });
    const rejudged = await verdictOf(again.runId);
    assert.equal(rejudged?.passed, true, 'a value marked expected is not an anomaly');
    assert.equal((rejudged?.metadata.metrics as { value: number }).value, 25);
    const next = await verdictOf((await p.materialize({ select: 'silver.daily_bookings', partitions: ['2025-06-28'] })).runId);
    assert.equal(next?.passed, true);
  });
});
