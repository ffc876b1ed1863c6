import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The project commands (`init`, `list`, `materialize`, `runs`, `logs`, `query`), run as a user runs
 * them: the real bin in a child process, in a temporary project folder (as the current folder, or
 * through `--project`). Each process start costs most of a second, so each test tells one story on
 * one project, the commands of a story that do not depend on each other run at once, and the
 * stories run two at a time.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/strata.js');

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunJson {
  readonly runId: string;
  readonly status: string;
  readonly trigger: string;
  readonly selection: string[];
  readonly steps: string[];
  readonly createdAt: string;
  readonly parentRunId?: string;
  readonly error?: string;
}

const show = (r: Run) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Starts `strata <args>` in `cwd`. */
function start(args: readonly string[], cwd: string) {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `strata <args>` in `cwd` to its end; `onStdout` sees the output as it comes. */
function strata(args: readonly string[], cwd: string, onStdout?: (all: string, child: ReturnType<typeof start>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs a command that must succeed with nothing on stderr; returns its stdout lines. */
async function ok(args: readonly string[], cwd: string): Promise<string[]> {
  const r = await strata(args, cwd);
  assert.equal(r.code, 0, show(r));
  assert.equal(r.stderr, '', show(r));
  return lines(r.stdout);
}

/** Runs a command that must fail with exactly one stderr line `[CODE] …`; returns that line and stdout's lines. */
async function fails(args: readonly string[], cwd: string, code: string): Promise<{ line: string; stdout: string[] }> {
  const r = await strata(args, cwd);
  assert.ok(r.code !== 0 && r.code !== null, show(r));
  const err = lines(r.stderr);
  assert.equal(err.length, 1, show(r));
  const line = err[0] as string;
  assert.ok(line.startsWith(`[${code}] `), `expected [${code}]: ${show(r)}`);
  return { line, stdout: lines(r.stdout) };
}

async function runsJson(cwd: string): Promise<RunJson[]> {
  return JSON.parse((await ok(['runs', '--json'], cwd)).join('\n')) as RunJson[];
}

const TIME = String.raw`\d\d:\d\d:\d\d`;
const UUID = String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`;

/** The step lines of materialize's progress output, without their time: `key started`, `key succeeded`, … */
function stepLines(out: readonly string[]): string[] {
  return out
    .filter((l) => new RegExp(`^${TIME} \\w+\\.\\w+\\.\\w+ (started|succeeded in \\d+ ms|failed: |skipped: )`).test(l))
    .map((l) => l.slice(9).replace(/ in \d+ ms$/, '').replace(/^(\S+ (failed|skipped)): .*/, '$1'));
}

/** The run id of materialize's last line, `run <id>: <status>`, checking the status. */
function finalRun(out: readonly string[], status: string): string {
  const m = new RegExp(`^run (${UUID}): ${status}$`).exec(out.at(-1) ?? '');
  assert.ok(m, `last line is "run <id>: ${status}": ${out.join('\n')}`);
  return m[1] as string;
}

describe('strata project commands (CLI as a child process)', { concurrency: 2 }, () => {
  let work: string;
  let n = 0;

  /** A project folder holding these files (paths relative to it). */
  function project(label: string, files: Readonly<Record<string, string>>): string {
    const dir = join(work, `${label}-${n++}`);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'strata-cli-project-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('init creates a project that materializes at once; list, query and runs read it', async () => {
    assert.deepEqual(await ok(['init', 'shop'], work), [
      'created strata.yaml',
      'created .gitignore',
      'created domains/shop/bronze/orders.sql',
      'created domains/shop/silver/orders.sql',
      'created domains/shop/gold/revenue_by_city.sql',
      'next: cd shop && npx strata materialize',
    ]);
    const dir = join(work, 'shop');
    const [again, first] = await Promise.all([fails(['init', 'shop'], work, 'CORE_INVALID_CONFIG'), ok(['materialize'], dir)]);
    assert.equal(again.line, `[CORE_INVALID_CONFIG] ${dir} already has a strata.yaml`);
    assert.deepEqual(stepLines(first), [
      'shop.bronze.orders started',
      'shop.bronze.orders succeeded',
      'shop.silver.orders started',
      'shop.silver.orders succeeded',
      'shop.gold.revenue_by_city started',
      'shop.gold.revenue_by_city succeeded',
    ]);
    assert.match(first.at(-2) ?? '', new RegExp(`^${TIME} run succeeded$`));
    const firstRun = finalRun(first, 'success');

    // Commands that do not depend on each other run at once: each process start is the cost.
    const keys = async (...args: string[]) => (await ok(['list', ...args, '--project', dir], work)).map((l) => l.split(/\s+/)[0]);
    const [listed, listedJson, downstream, tagged, unknown] = await Promise.all([
      ok(['list'], dir),
      ok(['list', '--json'], dir),
      keys('-s', 'silver.orders+'),
      keys('-s', 'tag:kpi', '-s', 'tag:raw'),
      fails(['list', '-s', 'gold.nope'], dir, 'CORE_SELECTION'),
    ]);
    assert.deepEqual(
      listed.map((l) => l.trim().split(/\s+/)),
      [
        ['shop.bronze.orders', 'table'],
        ['shop.silver.orders', 'table', '←', 'shop.bronze.orders'],
        ['shop.gold.revenue_by_city', 'table', '←', 'shop.silver.orders'],
      ],
    );
    const json = JSON.parse(listedJson.join('\n')) as Record<string, unknown>[];
    assert.deepEqual(
      json.map((a) => [a.key, a.layer, a.kind, a.materialization, a.deps, a.tags, a.source]),
      [
        ['shop.bronze.orders', 'bronze', 'sql', { kind: 'table' }, [], ['raw'], join(dir, 'domains/shop/bronze/orders.sql')],
        ['shop.silver.orders', 'silver', 'sql', { kind: 'table' }, ['shop.bronze.orders'], [], join(dir, 'domains/shop/silver/orders.sql')],
        ['shop.gold.revenue_by_city', 'gold', 'sql', { kind: 'table' }, ['shop.silver.orders'], ['kpi'], join(dir, 'domains/shop/gold/revenue_by_city.sql')],
      ],
    );
    assert.equal(json[2]?.description, 'Revenue per city.');
    assert.deepEqual(downstream, ['shop.silver.orders', 'shop.gold.revenue_by_city']);
    assert.deepEqual(tagged, ['shop.bronze.orders', 'shop.gold.revenue_by_city']);
    assert.equal(unknown.line, '[CORE_SELECTION] selection "gold.nope" matches no asset');
    assert.deepEqual(unknown.stdout, []);

    // The subset rewrites silver.orders only; the queries read gold, which it leaves alone.
    const sql = 'select city, revenue, orders from gold.revenue_by_city order by city';
    const [subset, table, asJson, asCsv] = await Promise.all([
      ok(['materialize', '-s', 'silver.orders'], dir),
      ok(['query', sql], dir),
      ok(['query', sql, '--format', 'json'], dir),
      ok(['query', sql, '--format', 'csv'], dir),
    ]);
    assert.deepEqual(stepLines(subset), ['shop.silver.orders started', 'shop.silver.orders succeeded']);
    const secondRun = finalRun(subset, 'success');
    assert.deepEqual(table, ['city    revenue  orders', '──────  ───────  ──────', 'annecy  35       1', 'lyon    18       1', '(2 rows)']);
    assert.deepEqual(JSON.parse(asJson.join('\n')), [
      { city: 'annecy', revenue: 35, orders: 1 },
      { city: 'lyon', revenue: 18, orders: 1 },
    ]);
    assert.deepEqual(asCsv, ['city,revenue,orders', 'annecy,35,1', 'lyon,18,1']);

    const [runs, text] = await Promise.all([runsJson(dir), ok(['runs'], dir)]);
    assert.deepEqual(
      runs.map((r) => [r.runId, r.status, r.trigger, r.selection, r.steps]),
      [
        [secondRun, 'success', 'manual', ['silver.orders'], ['shop.silver.orders']],
        [firstRun, 'success', 'manual', [], ['shop.bronze.orders', 'shop.silver.orders', 'shop.gold.revenue_by_city']],
      ],
    );
    assert.ok(Date.parse(runs[0]?.createdAt ?? '') >= Date.parse(runs[1]?.createdAt ?? ''), 'newest first');
    assert.equal(text.length, 2, text.join('\n'));
    assert.match(text[0] ?? '', new RegExp(`^${secondRun}  ${runs[0]?.createdAt}  success +1 steps +\\d+\\.\\d s  manual$`));
    assert.match(text[1] ?? '', new RegExp(`^${firstRun}  ${runs[1]?.createdAt}  success +3 steps +\\d+\\.\\d s  manual$`));
  });

  it('a failing SQL model fails the run; logs show why; --reexecute runs only the failed and skipped steps', async () => {
    const dir = project('failing', {
      'strata.yaml': 'name: shop\n',
      'domains/shop/bronze/orders.sql': "select * from (values (1, 'annecy', 35.0), (2, 'lyon', 18.0)) as t(order_id, city, amount)",
      'domains/shop/silver/orders.sql': 'select order_id, city, amount_typo as amount from bronze.orders',
      'domains/shop/silver/cities.sql': 'select distinct city from bronze.orders',
      'domains/shop/gold/revenue.sql': 'select city, sum(amount) as revenue from silver.orders group by city',
    });
    const failed = await fails(['materialize'], dir, 'CLI_RUN_FAILED');
    const runId = finalRun(failed.stdout, 'failed');
    assert.equal(failed.line, `[CLI_RUN_FAILED] run ${runId} failed; see: strata logs ${runId}`);
    assert.deepEqual(stepLines(failed.stdout).sort(), [
      'shop.bronze.orders started',
      'shop.bronze.orders succeeded',
      'shop.gold.revenue skipped',
      'shop.silver.cities started',
      'shop.silver.cities succeeded',
      'shop.silver.orders failed',
      'shop.silver.orders started',
    ]);
    assert.ok(failed.stdout.some((l) => /shop\.silver\.orders failed: .*amount_typo/.test(l)), failed.stdout.join('\n'));

    const [[run], logs, unknownRun] = await Promise.all([runsJson(dir), ok(['logs', runId], dir), fails(['logs', 'no-such-run'], dir, 'CLI_USAGE')]);
    assert.equal(run?.runId, runId);
    assert.equal(run?.status, 'failed');
    assert.match(run?.error ?? '', /shop\.silver\.orders/);
    const failure = logs.find((l) => /\bERROR\s+step_failed\s+shop\.silver\.orders failed: /.test(l));
    assert.ok(failure, logs.join('\n'));
    assert.match(failure, /amount_typo/);
    assert.ok(logs.some((l) => /step_skipped\s+shop\.gold\.revenue skipped: upstream shop\.silver\.orders failed/.test(l)), logs.join('\n'));
    assert.match(unknownRun.line, /no-such-run/);

    writeFileSync(join(dir, 'domains/shop/silver/orders.sql'), 'select order_id, city, amount from bronze.orders');
    const again = await ok(['materialize', '--reexecute', runId], dir);
    assert.deepEqual(stepLines(again), ['shop.silver.orders started', 'shop.silver.orders succeeded', 'shop.gold.revenue started', 'shop.gold.revenue succeeded']);
    const rerunId = finalRun(again, 'success');
    const [[rerun], revenue] = await Promise.all([runsJson(dir), ok(['query', 'select city, revenue from gold.revenue order by city', '--format', 'csv'], dir)]);
    assert.deepEqual([rerun?.runId, rerun?.trigger, rerun?.parentRunId, rerun?.steps], [rerunId, 'reexecution', runId, ['shop.silver.orders', 'shop.gold.revenue']]);
    assert.deepEqual(revenue, ['city,revenue', 'annecy,35', 'lyon,18']);
  });

  it('a bad strata.yaml fails with CORE_INVALID_CONFIG naming the file and the line', async () => {
    const dir = project('bad-config', { 'strata.yaml': 'name: shop\nexecution:\n  concurrency: 0\n' });
    const { line, stdout } = await fails(['list', '--project', dir], work, 'CORE_INVALID_CONFIG');
    assert.deepEqual(stdout, []);
    assert.equal(line, `[CORE_INVALID_CONFIG] ${join(dir, 'strata.yaml')}:3: execution.concurrency: Too small: expected number to be >=1`);
  });

  it('Ctrl-C cancels the run: it is recorded as canceled and the table is not committed', async () => {
    const dir = project('cancel', {
      'strata.yaml': 'name: slow\n',
      // The CLI loads .ts assets only as ES modules.
      'package.json': '{ "type": "module" }\n',
      // Returns rows once aborted, as careless user code does: they must not be committed.
      'domains/slow/bronze/waits.ts': `export const waits = {
  key: 'bronze.waits',
  compute: async (ctx) => {
    ctx.log.info('waiting for the signal');
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      ctx.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(undefined); });
    });
    return [{ id: 1 }];
  },
};
`,
    });
    let sent = false;
    const r = await strata(['materialize'], dir, (out, child) => {
      if (!sent && out.includes('waiting for the signal')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    assert.ok(sent, show(r));
    assert.notEqual(r.code, 0, show(r));
    const out = lines(r.stdout);
    assert.ok(out.includes('canceling: running steps are stopped before they commit'), show(r));
    const runId = finalRun(out, 'canceled');
    assert.deepEqual(lines(r.stderr), [`[CLI_RUN_FAILED] run ${runId} canceled; see: strata logs ${runId}`]);

    const [run] = await runsJson(dir);
    assert.deepEqual([run?.runId, run?.status], [runId, 'canceled']);
    const table = join(dir, 'lake/slow/bronze/waits');
    assert.equal(existsSync(join(table, '_delta_log', '00000000000000000000.json')), false, 'no commit of the canceled step');
    const logs = await ok(['logs', runId], dir);
    assert.ok(logs.some((l) => /step_failed\s+slow\.bronze\.waits canceled/.test(l)), logs.join('\n'));
    assert.ok(logs.some((l) => /run_canceled\s+run canceled/.test(l)), logs.join('\n'));
  });
});
