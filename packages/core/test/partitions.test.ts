import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { StrataProject, isCoreError } from '@strata/core';

const FILES: Record<string, string> = {
  'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
  'domains/parks/bronze/visits.sql': `/*
partitions: { daily: '2026-06-01', column: day }
*/
select getvariable('partition_start')::DATE as day, range as visitor, (range * 10)::INTEGER as amount
from range(3)`,
  'domains/parks/silver/visits.sql': `/*
partitions: { daily: '2026-06-01', column: day }
*/
select day, visitor, amount from bronze.visits
where day >= getvariable('partition_start') and day < getvariable('partition_end')`,
};

describe('partitions and backfills', () => {
  let engine: DuckDbEngine;
  let project: StrataProject;
  before(async () => {
    engine = await DuckDbEngine.create();
    const dir = mkdtempSync(join(tmpdir(), 'strata-partitions-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    project = await StrataProject.open(dir, { engine });
  });
  after(async () => {
    await project.close();
    await engine.close();
  });

  it('backfills a range of partitions, one run each, and replaces a partition when run again', async () => {
    const result = await project.backfill({ select: ['parks.bronze.visits', 'parks.silver.visits'], from: '2026-06-01', to: '2026-06-03', parallelism: 2 });
    assert.deepEqual(result.partitions, ['2026-06-01', '2026-06-02', '2026-06-03']);
    assert.deepEqual(
      [...result.runs.values()].map((r) => r.status),
      ['success', 'success', 'success'],
    );
    const perDay = await project.query<{ day: string; n: number }>(`select strftime(day, '%Y-%m-%d') as day, count(*)::INTEGER as n from silver.visits group by 1 order by 1`);
    assert.deepEqual(perDay, [
      { day: '2026-06-01', n: 3 },
      { day: '2026-06-02', n: 3 },
      { day: '2026-06-03', n: 3 },
    ]);
    const again = await project.materialize({ select: 'silver.visits', partitions: ['2026-06-02'] });
    assert.equal(again.status, 'success');
    assert.deepEqual(await project.query(`select count(*)::INTEGER as n from silver.visits`), [{ n: 9 }], 'the partition was replaced, not appended');
    const runs = await project.runs.listRuns({ trigger: `backfill:${result.backfillId}` });
    assert.equal(runs.length, 3);
    assert.ok(runs.every((r) => r.tags.backfill === result.backfillId));
  });

  it('reports the status of every partition', async () => {
    const status = await project.partitionStatus('parks.silver.visits');
    const byKey = new Map(status.map((s) => [s.partition, s.status]));
    assert.equal(byKey.get('2026-06-01'), 'materialized');
    assert.equal(byKey.get('2026-06-04'), 'missing');
  });

  it('refuses a partitioned run without a partition, and invalid keys', async () => {
    await assert.rejects(() => project.materialize({ select: 'silver.visits' }), (e: unknown) => isCoreError(e, 'CORE_INVALID_PARTITION') && /--partition/.test(e.message));
    await assert.rejects(() => project.materialize({ select: 'silver.visits', partitions: ['2026-13-01'] }), (e: unknown) => isCoreError(e, 'CORE_INVALID_PARTITION'));
    await assert.rejects(() => project.backfill({ select: 'silver.visits', from: '2026-05-01', to: 'bad' }), (e: unknown) => isCoreError(e, 'CORE_INVALID_PARTITION'));
  });
});
