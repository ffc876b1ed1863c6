import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../src/program.ts';
import { writeProject } from '@strata/core/testing';

/** Quality commands run in-process through runCli (the bin is exercised by the project-command tests). */
async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'strata-quality-' });

const CONTRACT = `kind: DataContract
id: gold.revenue
version: 1.0.0
owner: finance@example.com
schema:
  - { name: park, type: VARCHAR, required: true, primaryKey: true }
  - { name: revenue, type: DOUBLE, required: true }
quality:
  - { type: expression, expression: "revenue >= 0" }
`;

describe('strata checks, check and contract diff', () => {
  it('records check results, runs checks alone, and enforces and diffs a contract', async () => {
    const dir = project({
      'strata.yaml': 'name: parks\n',
      'domains/parks/silver/bookings.sql': `/*
checks:
  - { type: accepted_values, column: status, values: [confirmed, cancelled], severity: warn }
  - { type: not_null, column: park }
*/
select * from (values ('annecy', 10.0, 'confirmed'), ('vichy', 5.0, 'NA')) v(park, amount, status)`,
      'domains/parks/gold/revenue.sql': 'select park, sum(amount)::DOUBLE as revenue from silver.bookings group by park',
      'domains/parks/gold/revenue.contract.yaml': CONTRACT,
    });
    const run = await cli(['-p', dir, 'materialize']);
    assert.equal(run.code, 0, run.err.join('\n'));
    const checks = await cli(['-p', dir, 'checks']);
    assert.equal(checks.code, 0);
    assert.ok(checks.out.some((l) => /^WARN\s+parks\.silver\.bookings\s+accepted_values_status\s+.*1 row/.test(l)), checks.out.join('\n'));
    assert.ok(checks.out.some((l) => /^PASS\s+parks\.gold\.revenue\s+contract/.test(l)), checks.out.join('\n'));
    const json = JSON.parse((await cli(['-p', dir, 'checks', '--failed', '--json'])).out.join('\n')) as { checkName: string; metadata: { sample: { status: string }[] } }[];
    assert.deepEqual(json.map((r) => r.checkName), ['accepted_values_status']);
    assert.equal(json[0]?.metadata.sample[0]?.status, 'NA');

    const alone = await cli(['-p', dir, 'check', '--select', 'silver.bookings']);
    assert.equal(alone.code, 0, alone.err.join('\n'));
    assert.ok(alone.out.some((l) => /^WARN\s+parks\.silver\.bookings\s+accepted_values_status/.test(l)));

    const same = await cli(['-p', dir, 'contract', 'diff']);
    assert.equal(same.code, 0, same.out.join('\n') + same.err.join('\n'));

    // A breaking change to the contract: a column removed without a major version bump.
    const next = join(dir, 'next.contract.yaml');
    writeFileSync(next, CONTRACT.replace('version: 1.0.0', 'version: 1.1.0').replace(/ {2}- \{ name: revenue.*\n/, ''));
    const versions = await cli(['-p', dir, 'contract', 'diff', join(dir, 'domains/parks/gold/revenue.contract.yaml'), next]);
    assert.equal(versions.code, 1);
    assert.match(versions.out.join('\n'), /revenue/);
    assert.match(versions.err.join('\n'), /\[CLI_RUN_FAILED\].*breaking/);

    // A write that breaks the contract fails and commits nothing.
    writeFileSync(join(dir, 'domains/parks/gold/revenue.sql'), 'select park, -sum(amount)::DOUBLE as revenue from silver.bookings group by park');
    const broken = await cli(['-p', dir, 'materialize', '--select', 'gold.revenue']);
    assert.equal(broken.code, 1);
    const failed = await cli(['-p', dir, 'checks', '--failed', '--select', 'gold.revenue']);
    assert.ok(failed.out.some((l) => /^FAIL\s+parks\.gold\.revenue\s+contract/.test(l)), failed.out.join('\n'));
    const [row] = JSON.parse((await cli(['-p', dir, 'query', 'select min(revenue) as m from gold.revenue', '--format', 'json'])).out.join('\n')) as { m: number }[];
    assert.ok((row?.m ?? -1) >= 0, 'the previous version is still the table');
  });
});
