import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeProject } from '@strata/core/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/strata.js');

function strata(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'strata-dbt-cli-' });

describe('strata dbt build', () => {
  const dir = project({
    'dbt_project.yml': "name: people\nmodels:\n  people:\n    +materialized: table\n",
    'seeds/raw_people.csv': 'id,name\n1,Ada\n2,Grace\n2,Grace H.\n',
    'models/people.sql': "select id, name from {{ ref('raw_people') }} where id <= {{ var('max_id', 100) }}",
    'models/people_count.sql': "select count(*) as n from {{ ref('people') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: people\n    columns:\n      - name: id\n        tests: [unique]\n',
  });

  it('prints each node and the summary, and exits non-zero when a test fails', async () => {
    const r = await strata(['dbt', 'build', dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /1 of 4 OK seed raw_people \.+ \[INSERT 3 in \d+\.\d\ds\]/);
    assert.match(r.stdout, /FAIL 1 test unique_people_id \.+ \[FAIL 1 in /);
    assert.match(r.stdout, /SKIP table model people_count/);
    assert.match(r.stdout, /Failure in test unique_people_id: Got 1 result, configured to fail if != 0/);
    assert.match(r.stdout, /^Done\. PASS=2 WARN=0 ERROR=1 SKIP=1 TOTAL=4$/m);
    assert.match(r.stderr, /^\[CLI_RUN_FAILED\] dbt build failed: 1 error\(s\), 1 skipped/);
    assert.ok(existsSync(join(dir, 'target/strata-lake/people/bronze/raw_people/_delta_log')), 'tables go to target/strata-lake');
    assert.ok(existsSync(join(dir, 'target/strata-runs.db')), 'runs go to target/strata-runs.db');
  });

  it('takes --vars, --lake and --metadata, and exits 0 when everything passes', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'strata-dbt-cli-lake-'));
    const r = await strata(['dbt', 'build', dir, '--vars', '{max_id: 1}', '--lake', lake, '--metadata', 'memory:', '--threads', '1']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Done\. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4$/m);
    assert.ok(existsSync(join(lake, 'people/gold/people_count/_delta_log')));
  });

  it('reports a project that is not a dbt project', async () => {
    const r = await strata(['dbt', 'build', tmpdir()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\[CORE_INVALID_CONFIG\] no dbt_project\.yml in /);
  });
});
