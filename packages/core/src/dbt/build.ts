import { randomUUID } from 'node:crypto';
import type { Engine } from '@strata/delta';
import type { ObjectStore } from '@strata/storage';
import { CoreError, isCoreError } from '../errors.ts';
import { executePlan } from '../execution/executor.ts';
import type { StepResult } from '../execution/executor.ts';
import { materialize } from '../execution/materialize.ts';
import type { Plan, Step } from '../execution/plan.ts';
import { Lakehouse } from '../lakehouse/lakehouse.ts';
import type { RunEvent, RunStorage } from '../run-storage/index.ts';
import type { DbtProject } from './load.ts';
import type { DbtTest } from './tests.ts';

/** The outcome of one dbt node, as `dbt build` reports it. */
export type DbtStatus = 'success' | 'pass' | 'warn' | 'fail' | 'error' | 'skipped';

export interface DbtNodeResult {
  readonly resourceType: 'seed' | 'model' | 'test';
  /** dbt's name of the node (model, seed or test name). */
  readonly name: string;
  /** The asset (for a test: the asset it checks). */
  readonly key: string;
  /** How a seed or model is materialized: seed, table, view, incremental, ephemeral. */
  readonly materialized?: string;
  readonly status: DbtStatus;
  /** What happened: rows written, failing rows, the error. */
  readonly message: string;
  readonly durationMs: number;
  /** Failing rows of a test that ran. */
  readonly failures?: number;
}

/** dbt's summary line counts: PASS (success, pass), WARN, ERROR (error, fail), SKIP. */
export interface DbtCounts {
  readonly pass: number;
  readonly warn: number;
  readonly error: number;
  readonly skip: number;
  readonly total: number;
}

export interface DbtBuildResult {
  readonly runId: string;
  readonly status: 'success' | 'failed' | 'canceled';
  /** In the order the nodes finished. */
  readonly results: readonly DbtNodeResult[];
  readonly counts: DbtCounts;
}

export interface DbtBuildOptions {
  /** Where the tables go. */
  readonly lake: ObjectStore;
  readonly runs: RunStorage;
  readonly engine: Engine;
  /** Nodes at once (dbt's threads; default 4). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called as each node finishes, with its position and the number of nodes. */
  readonly onResult?: (result: DbtNodeResult, index: number, total: number) => void;
  readonly onEvent?: (e: RunEvent) => void;
}

const TEST_PREFIX = 'test:';

/**
 * `dbt build` as one Strata run: seeds, then every model followed by its tests, in dependency
 * order, `concurrency` at a time. A model waits for the tests of its upstream nodes, as in dbt,
 * so a failing test (severity error) skips what is downstream; tests with severity warn do not.
 * Models are materialized as Strata assets (Delta tables, or views); test results are recorded as
 * check results of the tested asset. Source tables must exist before the build starts.
 */
export async function buildDbtProject(project: DbtProject, options: DbtBuildOptions): Promise<DbtBuildResult> {
  const lakehouse = new Lakehouse(options.lake, options.engine);
  await prepareRelations(project, lakehouse);
  const plan = buildPlan(project);
  const tests = new Map(project.tests.map((t) => [`${TEST_PREFIX}${t.name}`, t]));
  const runId = randomUUID();
  await options.runs.createRun({
    runId,
    status: 'queued',
    trigger: 'dbt build',
    selection: [],
    steps: plan.steps.map((s) => s.id),
    createdAt: new Date(),
    tags: { dbt_project: project.name },
  });
  const results: DbtNodeResult[] = [];
  const report = (r: DbtNodeResult) => {
    results.push(r);
    options.onResult?.(r, results.length, plan.steps.length);
  };
  const env = { lakehouse, runId, resources: {}, runTags: {} };
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const outcome = await executePlan({
    runId,
    storage: options.runs,
    plan,
    concurrency: options.concurrency ?? 4,
    signal: options.signal,
    onEvent: (e) => {
      options.onEvent?.(e);
      if (e.type !== 'step_skipped') return;
      const step = byId.get(e.message.slice(0, e.message.indexOf(' skipped')));
      if (step) report(skipped(step, tests.get(step.id), project));
    },
    run: async (step, attempt) => {
      const started = Date.now();
      const test = tests.get(step.id);
      try {
        if (test) return await runTest(test, step, lakehouse, runId, options, (r) => report({ ...r, durationMs: Date.now() - started }));
        const result = await materialize(project.graph.get(step.key), step, env, attempt);
        report(nodeResult(project, step.key, 'success', describe(project, step.key, result), Date.now() - started));
        return result;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!test) report(nodeResult(project, step.key, 'error', message, Date.now() - started));
        else if (!isCoreError(e, 'CORE_CHECK_FAILED')) report({ resourceType: 'test', name: test.name, key: test.assetKey, status: 'error', message, durationMs: Date.now() - started });
        throw e;
      }
    },
  });
  return { runId, status: outcome.status, results, counts: countResults(results) };
}

/** dbt's summary counts of a list of results. */
function countResults(results: readonly DbtNodeResult[]): DbtCounts {
  const count = (...s: DbtStatus[]) => results.filter((r) => s.includes(r.status)).length;
  return { pass: count('success', 'pass'), warn: count('warn'), error: count('error', 'fail'), skip: count('skipped'), total: results.length };
}

/**
 * Points the views of source tables at their tables (a missing one is an error naming it), and
 * those of seeds and models at their last materialization, or drops them when there is none,
 * so that `is_incremental()` and `{{ this }}` see this lake only.
 */
async function prepareRelations(project: DbtProject, lakehouse: Lakehouse): Promise<void> {
  for (const asset of project.graph.assets()) {
    const node = project.nodes.get(asset.key);
    const exists = await lakehouse.refreshView(asset.key);
    if (exists) continue;
    if (node?.resourceType === 'source') {
      throw new CoreError(
        'CORE_MISSING_DEPENDENCY',
        `source ${node.name} (${node.file}): the table ${asset.key} does not exist in the lake; load it first, point the source at a seed, or set meta.strata_asset`,
      );
    }
    await lakehouse.ensureSchema(asset.key);
    const [d, l, n] = asset.key.split('.').map((p) => `"${p.replaceAll('"', '""')}"`);
    await lakehouse.engine.exec(`DROP VIEW IF EXISTS ${d}.${l}.${n}`);
  }
}

/**
 * Seeds and models in dependency order, each followed by the tests whose nodes are all built by
 * then. A node waits for its upstream nodes and for every test whose nodes are all upstream of
 * it (dbt build's test edges).
 */
function buildPlan(project: DbtProject): Plan {
  const built = project.graph.order.filter((k) => project.nodes.get(k)?.resourceType !== 'source');
  const inPlan = new Set(built);
  const steps: Step[] = [];
  const placed = new Set<string>();
  const pending = [...project.tests];
  const placeTests = (ready: (t: DbtTest) => boolean) => {
    for (const t of pending.filter(ready)) {
      pending.splice(pending.indexOf(t), 1);
      steps.push({ id: `${TEST_PREFIX}${t.name}`, key: t.assetKey, after: t.deps.filter((d) => inPlan.has(d)) });
    }
  };
  placeTests((t) => t.deps.every((d) => !inPlan.has(d)));
  for (const key of built) {
    const upstream = project.graph.upstream(key);
    const testEdges = project.tests.filter((t) => t.deps.every((d) => upstream.has(d))).map((t) => `${TEST_PREFIX}${t.name}`);
    steps.push({ id: key, key, after: [...project.graph.get(key).deps.filter((d) => inPlan.has(d)), ...testEdges] });
    placed.add(key);
    placeTests((t) => t.deps.every((d) => placed.has(d) || !inPlan.has(d)));
  }
  return { steps };
}

async function runTest(
  test: DbtTest,
  step: Step,
  lakehouse: Lakehouse,
  runId: string,
  options: DbtBuildOptions,
  report: (r: Omit<DbtNodeResult, 'durationMs'>) => void,
): Promise<StepResult> {
  const session = await lakehouse.session();
  let row: { failures?: unknown; should_warn?: unknown; should_error?: unknown } | undefined;
  try {
    [row] = await session.engine.query(
      `select count(*) as failures, count(*) ${test.warnIf} as should_warn, count(*) ${test.errorIf} as should_error from (${test.sql}\n) dbt_internal_test`,
    );
  } catch (e) {
    throw new CoreError('CORE_USER_CODE', `test ${test.name} (${test.file}): ${(e as Error).message}`, { cause: e, userStack: (e as Error).stack });
  } finally {
    await session.close();
  }
  const failures = Number(row?.failures ?? 0);
  const status: DbtStatus = test.severity === 'error' && row?.should_error === true ? 'fail' : row?.should_warn === true ? 'warn' : 'pass';
  const message = status === 'pass' ? 'PASS' : `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${status === 'fail' ? 'fail' : 'warn'} if ${status === 'fail' ? test.errorIf : test.warnIf}`;
  const timestamp = new Date();
  await options.runs.addCheckResult({
    runId,
    assetKey: test.assetKey,
    checkName: test.name,
    timestamp,
    passed: status === 'pass',
    severity: test.severity,
    failingRows: failures,
    metadata: { dbt_status: status, kind: test.kind, type: test.type ?? null, column: test.column ?? null, file: test.file, sql: test.sql },
  });
  const event: RunEvent = {
    runId,
    timestamp,
    type: 'check_result',
    level: status === 'pass' ? 'info' : status === 'warn' ? 'warn' : 'error',
    assetKey: step.key,
    message: `${test.name}: ${message}`,
    data: { check: test.name, status, failingRows: failures },
  };
  await options.runs.appendEvents([event]);
  options.onEvent?.(event);
  report({ resourceType: 'test', name: test.name, key: test.assetKey, status, message, failures });
  if (status === 'fail') throw new CoreError('CORE_CHECK_FAILED', `test ${test.name} failed: ${message}`);
  return { materialized: false, metadata: { failures } };
}

function nodeResult(project: DbtProject, key: string, status: DbtStatus, message: string, durationMs: number): DbtNodeResult {
  const node = project.nodes.get(key);
  return { resourceType: node?.resourceType === 'seed' ? 'seed' : 'model', name: node?.name ?? key, key, materialized: node?.materialized, status, message, durationMs };
}

function skipped(step: Step, test: DbtTest | undefined, project: DbtProject): DbtNodeResult {
  if (test) return { resourceType: 'test', name: test.name, key: test.assetKey, status: 'skipped', message: 'upstream failed', durationMs: 0 };
  return nodeResult(project, step.key, 'skipped', 'upstream failed', 0);
}

function describe(project: DbtProject, key: string, result: StepResult): string {
  const node = project.nodes.get(key);
  const rows = result.rowsWritten === undefined ? '' : ` ${result.rowsWritten}`;
  if (node?.resourceType === 'seed') return `INSERT${rows}`;
  const m = project.graph.get(key).materialization;
  if (m.kind === 'view') return node?.materialized === 'ephemeral' ? 'EPHEMERAL (view)' : 'CREATE VIEW';
  const { inserted, updated } = result.metadata ?? {};
  if (m.kind === 'incremental' && typeof inserted === 'number') return `MERGE ${inserted} inserted, ${String(updated)} updated`;
  return m.kind === 'incremental' ? `INSERT${rows}` : `CREATE TABLE${rows}`;
}
