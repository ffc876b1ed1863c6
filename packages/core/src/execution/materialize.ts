import { rm } from 'node:fs/promises';
import type { DeltaTable } from '@strata/delta';
import type { AssetContext, ResolvedAsset } from '../definitions/asset.ts';
import { companionKey } from '../definitions/asset-key.ts';
import type { PartitionsDefinition } from '../definitions/partitions.ts';
import { partitionPredicate, partitionWindow } from '../definitions/partitions.ts';
import { isDeltaError, sqlString as q } from '@strata/delta';
import { CoreError } from '../errors.ts';
import type { Lakehouse } from '../lakehouse/lakehouse.ts';
import type { StepLog, StepResult } from './executor.ts';
import type { Step } from './plan.ts';
import { Relation } from '../relation/relation.ts';
import type { Normalized } from './compute-output.ts';
import { normalize, readStaged, stageRows } from './compute-output.ts';
import { snapshotSql } from './scd2.ts';
import { userCode } from './user-code.ts';
import type { CheckRecorder, GateContext } from './quality-gate.ts';
import { applyDrops, castChecks, castSql, gate, recordOutcomes, splitChecks } from './quality-gate.ts';
import { collectMetrics } from '@strata/quality';
import type { TableMetrics } from '@strata/quality';
import type { RunStorage } from '../run-storage/index.ts';
import { judgeMonitors } from './monitors.ts';

/** Written rows up to which metrics count distinct values exactly. */
const EXACT_DISTINCT_ROWS = 1_000_000;

export interface MaterializeEnv {
  readonly lakehouse: Lakehouse;
  readonly runId: string;
  readonly resources: Record<string, unknown>;
  readonly runTags: Readonly<Record<string, string>>;
  /** Where check outcomes are recorded. */
  readonly recordCheck?: CheckRecorder;
  /** Run storage, for the history anomaly monitors compare with. */
  readonly runs?: RunStorage;
}

/**
 * Runs an asset's compute (as user code) and stores its result as the asset's materialization
 * says: one Delta commit per step, never committed after the step was aborted. Then the asset's
 * view points at the new version.
 */
export async function materialize(
  asset: ResolvedAsset,
  step: Step,
  env: MaterializeEnv,
  attempt: { signal: AbortSignal; log: StepLog },
): Promise<StepResult> {
  const lakehouse = await env.lakehouse.session();
  let result: StepResult;
  try {
    result = await materializeIn(lakehouse, asset, step, { ...env, lakehouse }, attempt);
  } finally {
    await lakehouse.close();
  }
  const metrics = result.metadata?.metrics as TableMetrics | undefined;
  if (metrics && env.runs) {
    await judgeMonitors(asset, { runId: env.runId, partition: step.partition, tableVersion: result.tableVersion, metrics }, env.runs, env.recordCheck);
  }
  return result;
}

async function materializeIn(
  lakehouse: Lakehouse,
  asset: ResolvedAsset,
  step: Step,
  env: MaterializeEnv,
  attempt: { signal: AbortSignal; log: StepLog },
): Promise<StepResult> {
  await lakehouse.useDomain(asset.domain);
  const predicate = asset.partitions && step.partition !== undefined ? partitionPredicate(asset.partitions, step.partition) : undefined;
  if (asset.partitions && step.partition !== undefined) await setPartitionVariables(lakehouse, asset.partitions, step.partition);
  // Tables the compute committed to itself, with their version before the step.
  const touched = new Map<string, { table: DeltaTable; before: number }>();
  const ctx: AssetContext = {
    key: asset.key,
    runId: env.runId,
    runTags: env.runTags,
    partition: step.partition,
    partitionPredicate: predicate,
    resources: env.resources,
    signal: attempt.signal,
    log: {
      debug: (m, d) => attempt.log('debug', m, d),
      info: (m, d) => attempt.log('info', m, d),
      warn: (m, d) => attempt.log('warn', m, d),
      error: (m, d) => attempt.log('error', m, d),
    },
    query: async <T extends Record<string, unknown>>(sql: string) => {
      await lakehouse.useDomain(asset.domain);
      return lakehouse.engine.query<T>(sql);
    },
    relation: (source: string) => Relation.of(source, lakehouse.engine, () => lakehouse.useDomain(asset.domain)),
    lake: {
      engine: lakehouse.engine,
      table: async (companion?: string) => {
        const key = companion === undefined ? asset.key : companionKey(asset.key, companion);
        const table = await lakehouse.table(key);
        if (!touched.has(key)) touched.set(key, { table, before: await currentVersion(table) });
        return table;
      },
    },
  };
  const out = normalize(await userCode(asset.key, 'compute', () => asset.compute(ctx)), asset);
  attempt.signal.throwIfAborted();
  const checks = splitChecks(asset);
  const gateCtx: GateContext = { lakehouse, asset, runId: env.runId, partition: step.partition, record: env.recordCheck, signal: attempt.signal };
  if (asset.materialization.kind === 'view') {
    if (!out.sql) throw new CoreError('CORE_INVALID_DEFINITION', `${asset.key} is materialized as a view, so its compute must return SQL`);
    if (checks.drop.length > 0) throw new CoreError('CORE_INVALID_DEFINITION', `${asset.key}: a view stores no rows, so its checks cannot drop rows`);
    await lakehouse.defineView(asset.key, out.sql);
    await recordOutcomes(gateCtx, await gate(gateCtx, out.sql, checks.gate));
    return { metadata: out.metadata };
  }
  if (!out.sql && !out.rows) {
    if (checks.drop.length > 0) throw new CoreError('CORE_INVALID_DEFINITION', `${asset.key}: drop checks need compute to return its rows (SQL, a relation, rows)`);
    return committedByCompute(lakehouse, asset.key, touched, out, gateCtx, checks.gate);
  }
  const staged = out.rows ? await stageRows(out.rows, lakehouse.engine.tempDir) : undefined;
  const stages: Awaited<ReturnType<typeof applyDrops>>[] = [];
  try {
    await lakehouse.useDomain(asset.domain);
    let sql = staged ? readStaged(staged, out.columns) : (out.sql as string);
    let result: StepResult;
    try {
      // Values that do not convert to their declared type go to quarantine, raw; then the other drop checks see typed columns.
      if (Object.keys(asset.casts).length > 0) {
        stages.push(await applyDrops(gateCtx, sql, castChecks(asset.casts)));
        sql = castSql(stages[stages.length - 1]?.sql as string, asset.casts);
      }
      if (checks.drop.length > 0) {
        stages.push(await applyDrops(gateCtx, sql, checks.drop));
        sql = stages[stages.length - 1]?.sql as string;
      }
      result = await store(asset, sql, predicate, env, attempt.signal, gateCtx, checks.gate);
      const quarantined = stages.reduce((n, d) => n + d.dropped, 0);
      if (quarantined > 0) result = { ...result, metadata: { ...(result.metadata ?? {}), rows_quarantined: quarantined } };
    } catch (e) {
      // The engine failing on SQL the asset wrote (a typo, a bad cast) is the user's error.
      if (out.sql && isDeltaError(e, 'DELTA_ENGINE')) {
        throw new CoreError('CORE_USER_CODE', `${asset.key}${asset.source ? ` (${asset.source})` : ''}: ${e.message}`, { cause: e, userStack: e.message });
      }
      throw e;
    }
    await lakehouse.refreshView(asset.key);
    return { ...result, metadata: { ...out.metadata, ...(result.metadata ?? {}) } };
  } finally {
    for (const d of stages.reverse()) await d.dispose();
    if (staged) await rm(staged, { force: true });
  }
}

/** The step's result when compute committed to its tables itself: refreshed views, the new version. */
async function committedByCompute(
  lakehouse: Lakehouse,
  key: string,
  touched: ReadonlyMap<string, { table: DeltaTable; before: number }>,
  out: Normalized,
  gateCtx: GateContext,
  checks: Parameters<typeof gate>[2],
): Promise<StepResult> {
  let tableVersion: number | undefined;
  for (const [k, { table, before }] of touched) {
    const now = await currentVersion(table);
    if (now === before) continue;
    await lakehouse.refreshView(k);
    if (k === key) {
      tableVersion = now;
      // The rows this step appended were committed by compute: a failing check fails the step,
      // so that nothing downstream reads them.
      const added = await table.addedSinceSql(before);
      await recordOutcomes(gateCtx, await gate(gateCtx, added, checks), now);
      if (gateCtx.asset.metrics) out = { ...out, metadata: { ...out.metadata, metrics: await collectMetrics(lakehouse.engine, added) } };
    }
  }
  return { metadata: out.metadata, ...(tableVersion !== undefined ? { tableVersion } : {}), ...(out.rowsWritten !== undefined ? { rowsWritten: out.rowsWritten } : {}) };
}

async function currentVersion(table: DeltaTable): Promise<number> {
  return (await table.exists()) ? (await table.snapshot()).version : -1;
}

async function store(
  asset: ResolvedAsset,
  sql: string,
  predicate: string | undefined,
  env: MaterializeEnv,
  signal: AbortSignal,
  gateCtx: GateContext,
  checks: Parameters<typeof gate>[2],
): Promise<StepResult> {
  const table = await env.lakehouse.table(asset.key);
  const exists = await table.exists();
  const m = asset.materialization;
  const partitionBy = asset.partitionBy.length > 0 ? asset.partitionBy : undefined;
  const previousRowCount = async () => (exists ? (await table.describe()).numRecords : undefined);
  if ((m.kind === 'incremental' && m.strategy === 'merge' && exists) || m.kind === 'snapshot') {
    // Merges and snapshots rewrite existing rows: their checks and metrics judge the incoming rows.
    const outcomes = await gate(gateCtx, sql, checks, { previousRowCount });
    const metrics = asset.metrics ? await collectMetrics(env.lakehouse.engine, sql) : undefined;
    const r = await mergeOrSnapshot(table, exists, sql, m, partitionBy, env, signal);
    await recordOutcomes(gateCtx, outcomes, r.tableVersion);
    return withMetrics(r, metrics);
  }
  let write: { mode: 'overwrite' | 'append'; overwriteSchema?: boolean; replaceWhere?: string; evolveSchema?: boolean };
  if (m.kind === 'incremental' && m.strategy === 'replace_partition') {
    if (predicate === undefined) throw new CoreError('CORE_INVALID_DEFINITION', `${asset.key} uses replace_partition but has no partitions`);
    write = { mode: 'overwrite', replaceWhere: predicate };
  } else if (m.kind === 'incremental') {
    write = { mode: 'append', evolveSchema: true };
  } else {
    write = { mode: 'overwrite', overwriteSchema: true };
  }
  let outcomes: Awaited<ReturnType<typeof gate>> = [];
  let metrics: TableMetrics | undefined;
  const r = await table.write(sql, {
    ...write,
    partitionBy: exists && m.kind !== 'table' ? undefined : partitionBy,
    signal,
    ...(checks.length > 0 || asset.metrics
      ? {
          // Checks and metrics read the written files, before the commit.
          beforeCommit: async (w: { sql: string; rows: number }) => {
            outcomes = await gate(gateCtx, w.sql, checks, { previousRowCount });
            // Distinct counts are exact up to a million rows, approximate (HyperLogLog) beyond.
            if (asset.metrics) metrics = await collectMetrics(env.lakehouse.engine, w.sql, { exactDistinct: w.rows <= EXACT_DISTINCT_ROWS });
          },
        }
      : {}),
  });
  await recordOutcomes(gateCtx, outcomes, r.version);
  return withMetrics({ tableVersion: r.version, rowsWritten: r.rowsWritten }, metrics);
}

function withMetrics(r: StepResult, metrics: TableMetrics | undefined): StepResult {
  return metrics ? { ...r, metadata: { ...(r.metadata ?? {}), metrics } } : r;
}

async function mergeOrSnapshot(
  table: DeltaTable,
  exists: boolean,
  sql: string,
  m: ResolvedAsset['materialization'],
  partitionBy: readonly string[] | undefined,
  env: MaterializeEnv,
  signal: AbortSignal,
): Promise<StepResult> {
  if (m.kind === 'incremental' && m.strategy === 'merge') {
    const r = await table.merge(sql, { keys: m.uniqueKey, evolveSchema: true, signal });
    return { tableVersion: r.version, rowsWritten: r.rowsInserted + r.rowsUpdated, metadata: { inserted: r.rowsInserted, updated: r.rowsUpdated } };
  }
  if (m.kind !== 'snapshot') throw new CoreError('CORE_INVALID_DEFINITION', 'not a merge or snapshot materialization');
  const { names } = await env.lakehouse.engine.describe(sql);
  const source = snapshotSql(sql, exists ? await table.scanSql() : undefined, names, m.uniqueKey, m.updatedAt);
  const r = await table.write(source, { mode: 'overwrite', overwriteSchema: true, partitionBy, signal });
  return { tableVersion: r.version, rowsWritten: r.rowsWritten };
}

/** Makes the step's partition readable from SQL through getvariable() in this session. */
async function setPartitionVariables(lakehouse: Lakehouse, def: PartitionsDefinition, key: string): Promise<void> {
  const window = partitionWindow(def, key);
  const vars = [`SET VARIABLE partition_key = ${q(key)}`];
  if (window) {
    vars.push(`SET VARIABLE partition_start = TIMESTAMPTZ ${q(window.start.toISOString())}`);
    vars.push(`SET VARIABLE partition_end = TIMESTAMPTZ ${q(window.end.toISOString())}`);
  }
  await lakehouse.engine.exec(vars.join('; '));
}
