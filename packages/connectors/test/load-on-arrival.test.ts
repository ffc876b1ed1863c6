import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Daemon, StrataProject } from '@strata/core';
import { writeProject } from '@strata/core/testing';
import { DuckDbEngine } from '@strata/delta';
import { connectorComponents } from '@strata/connectors';

/** Files dropped in a landing folder are loaded into bronze by the new-files sensor, each once. */
describe('load on arrival: new_files sensor + file_source', () => {
  let engine: DuckDbEngine;
  let dir: string;
  let project: StrataProject;
  let clock = new Date('2026-06-01T10:00:00Z');
  before(async () => {
    engine = await DuckDbEngine.create();
    dir = writeProject(
      {
        'strata.yaml': `name: parks
metadata: "memory:"
sensors:
  - name: landing
    type: new_files
    path: landing
    pattern: "*.csv"
    select: bronze.visits
    interval_seconds: 1
`,
        'domains/parks/bronze/visits.yaml': `component: file_source
stream: visits
location: ./landing
glob: "*.csv"
csv: { columns: { visitors: BIGINT } }
`,
        'domains/parks/silver/visits.sql': 'select park, sum(visitors) as visitors from bronze.visits group by park',
        'landing/.keep': '',
      },
      { prefix: 'strata-arrival-' },
    );
    project = await StrataProject.open(dir, { engine, components: connectorComponents });
  });
  after(async () => {
    await project.close();
    await engine.close();
  });

  it('loads each new file once, quarantines its bad lines, and loads a changed file again', async () => {
    const daemon = new Daemon(project, { now: () => clock });
    const tick = async () => {
      clock = new Date(clock.getTime() + 2000);
      return (await daemon.tick()).filter((r) => r.trigger === 'sensor:landing');
    };
    writeFileSync(join(dir, 'landing', 'annecy.csv'), 'park,visitors\nannecy,10\nannecy,oops\n');
    const first = await tick();
    assert.equal(first.length, 1);
    assert.equal(first[0]?.outcome.status, 'success');
    assert.deepEqual(await project.query('select park, visitors, _file_path from bronze.visits'), [{ park: 'annecy', visitors: 10, _file_path: 'annecy.csv' }]);
    const [bad] = await project.query<{ _location: string; _raw: string }>('select _location, _raw from bronze.visits__quarantine');
    assert.equal(bad?._location, 'annecy.csv:3');
    assert.match(bad?._raw ?? '', /oops/);

    assert.equal((await tick()).length, 0, 'nothing new, no run');
    writeFileSync(join(dir, 'landing', 'vichy.csv'), 'park,visitors\nvichy,7\n');
    assert.equal((await tick()).length, 1);
    assert.deepEqual(await project.query('select _file_path as f, count(*) as n from bronze.visits group by 1 order by 1'), [
      { f: 'annecy.csv', n: 1 },
      { f: 'vichy.csv', n: 1 },
    ]);
    // A file replaced with new content is a new batch; the unchanged one is not loaded again.
    writeFileSync(join(dir, 'landing', 'vichy.csv'), 'park,visitors\nvichy,7\nvichy,8\n');
    assert.equal((await tick()).length, 1);
    assert.deepEqual(await project.query('select _file_path as f, count(*) as n, count(distinct _file_checksum) as versions from bronze.visits group by 1 order by 1'), [
      { f: 'annecy.csv', n: 1, versions: 1 },
      { f: 'vichy.csv', n: 3, versions: 2 },
    ]);
  });
});
