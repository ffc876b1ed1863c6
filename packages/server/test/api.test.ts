import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunOutcome } from '@strata/core';
import { StrataProject } from '@strata/core';
import { buildApp } from '@strata/server';

const FILES: Record<string, string> = {
  'strata.yaml': 'name: parks\nmetadata: "memory:"\n',
  'domains/parks/bronze/parks.sql': `select * from (values (1, 'Annecy'), (2, 'Lyon')) as t(park_id, name)`,
  'domains/parks/silver/parks.sql': `/*\ndescription: Parks.\ntags: [reference]\n*/\nselect park_id, upper(name) as name from bronze.parks`,
};

describe('HTTP API', () => {
  let project: StrataProject;
  let app: ReturnType<typeof buildApp>;
  const finished: RunOutcome[] = [];
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-api-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    project = await StrataProject.open(dir);
    app = buildApp({ project, onRun: (o) => finished.push(o) });
  });
  after(async () => {
    await app.close();
    await project.close();
  });

  it('lists assets and answers health', async () => {
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    assert.deepEqual(health.json(), { status: 'ok', project: 'parks', assets: 2 });
    const assets = (await app.inject({ method: 'GET', url: '/api/assets?select=tag:reference' })).json() as { assets: { key: string; deps: string[] }[] };
    assert.deepEqual(assets.assets.map((a) => [a.key, a.deps]), [['parks.silver.parks', ['parks.bronze.parks']]]);
  });

  it('launches a run and shows it with its events', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/runs', payload: { select: ['+silver.parks'] } });
    assert.equal(res.statusCode, 202);
    const { runId } = res.json() as { runId: string };
    for (let i = 0; i < 200 && !finished.some((o) => o.runId === runId); i++) await new Promise((r) => setTimeout(r, 25));
    const run = (await app.inject({ method: 'GET', url: `/api/runs/${runId}` })).json() as { run: { status: string; trigger: string } };
    assert.equal(run.run.status, 'success');
    assert.equal(run.run.trigger, 'api');
    const events = (await app.inject({ method: 'GET', url: `/api/runs/${runId}/events` })).json() as { events: { type: string }[] };
    assert.ok(events.events.some((e) => e.type === 'step_succeeded'));
    const asset = (await app.inject({ method: 'GET', url: '/api/assets/parks.silver.parks' })).json() as { latestMaterialization: { runId: string } };
    assert.equal(asset.latestMaterialization.runId, runId);
    const runs = (await app.inject({ method: 'GET', url: '/api/runs?limit=5' })).json() as { runs: { runId: string }[] };
    assert.equal(runs.runs[0]?.runId, runId);
  });

  it('maps errors to statuses with a code', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/runs', payload: { select: 'tag:nothing' } });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'CORE_SELECTION');
    const missing = await app.inject({ method: 'GET', url: '/api/runs/nope' });
    assert.equal(missing.statusCode, 404);
    const unknown = await app.inject({ method: 'GET', url: '/api/assets/parks.gold.nope' });
    assert.equal(unknown.statusCode, 404);
    const extra = await app.inject({ method: 'POST', url: '/api/runs', payload: { colour: 'red' } });
    assert.equal(extra.statusCode, 400);
  });
});
