import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { Daemon, StrataProject } from '@strata/core';

const FILES: Record<string, string> = {
  'strata.yaml': `name: parks
metadata: "memory:"
schedules:
  - name: nightly
    cron: "0 2 * * *"
    timezone: Europe/Paris
    select: bronze.parks
sensors:
  - name: landing
    type: new_files
    path: landing
    pattern: "*.csv"
    select: bronze.arrivals
    interval_seconds: 1
automation:
  - select: layer:silver
    when: upstream_changed
`,
  'domains/parks/bronze/parks.sql': `select 1 as park_id, 'Annecy' as name`,
  'domains/parks/bronze/arrivals.ts': `
export const arrivals = {
  key: 'bronze.arrivals',
  materialization: { kind: 'incremental', strategy: 'append' },
  compute: (ctx) => JSON.parse(ctx.runTags.files ?? '[]').map((file) => ({ file })),
};
`,
  'domains/parks/silver/parks.sql': `select park_id, upper(name) as name from bronze.parks`,
};

describe('daemon: schedules, sensors and automation', () => {
  let engine: DuckDbEngine;
  let dir: string;
  let project: StrataProject;
  let clock = new Date('2026-06-01T10:00:00Z');
  let daemon: Daemon;
  before(async () => {
    engine = await DuckDbEngine.create();
    dir = mkdtempSync(join(tmpdir(), 'strata-daemon-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    mkdirSync(join(dir, 'landing'));
    project = await StrataProject.open(dir, { engine });
    daemon = new Daemon(project, { now: () => clock });
  });
  after(async () => {
    await project.close();
    await engine.close();
  });
  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

  it('runs a cron schedule once per tick in its time zone, never for ticks before it existed', async () => {
    assert.deepEqual((await daemon.tick()).map((r) => r.trigger), [], 'first evaluation only records the start');
    advance(14 * 3_600_000); // 2026-06-02 00:00 UTC = 02:00 in Paris
    const runs = await daemon.tick();
    assert.deepEqual(runs.map((r) => r.trigger), ['schedule:nightly']);
    assert.equal(runs[0]?.outcome.status, 'success');
    assert.deepEqual((await daemon.tick()).filter((r) => r.trigger.startsWith('schedule')), [], 'the same tick is not run twice');
  });

  it('materializes what is downstream of a change (freshness automation)', async () => {
    // The scheduled run materialized bronze.parks; the tick after it finds silver.parks stale.
    const auto = await project.runs.listRuns({ trigger: 'automation' });
    assert.equal(auto.length, 1);
    assert.deepEqual(auto[0]?.steps, ['parks.silver.parks']);
    assert.deepEqual(await project.query('select name from silver.parks'), [{ name: 'ANNECY' }]);
    advance(1000);
    assert.equal((await daemon.tick()).find((r) => r.trigger === 'automation'), undefined, 'nothing is stale any more');
  });

  it('launches a run for new or changed files, once, and passes them to the asset', async () => {
    writeFileSync(join(dir, 'landing', 'a.csv'), 'x\n1\n');
    writeFileSync(join(dir, 'landing', 'ignored.txt'), 'x');
    advance(2000);
    const first = (await daemon.tick()).filter((r) => r.trigger === 'sensor:landing');
    assert.equal(first.length, 1);
    advance(2000);
    assert.equal((await daemon.tick()).filter((r) => r.trigger === 'sensor:landing').length, 0, 'no new file, no run');
    writeFileSync(join(dir, 'landing', 'b.csv'), 'x\n2\n');
    advance(2000);
    assert.equal((await daemon.tick()).filter((r) => r.trigger === 'sensor:landing').length, 1);
    assert.deepEqual(await project.query('select file from bronze.arrivals order by file'), [{ file: 'a.csv' }, { file: 'b.csv' }]);
    // A restarted daemon remembers the files through its cursor.
    const restarted = new Daemon(project, { now: () => clock });
    advance(2000);
    assert.equal((await restarted.tick()).filter((r) => r.trigger === 'sensor:landing').length, 0);
  });
});
