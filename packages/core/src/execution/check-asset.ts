import { sqlIdent as ident } from '@strata/delta';
import type { ResolvedAsset } from '../definitions/asset.ts';
import { partitionPredicate } from '../definitions/partitions.ts';
import { CoreError } from '../errors.ts';
import type { StepResult } from './executor.ts';
import type { MaterializeEnv } from './materialize.ts';
import type { Step } from './plan.ts';
import { gate, recordOutcomes } from './quality-gate.ts';

/**
 * Runs an asset's checks on its current table (a partition's rows when the step has one) without
 * writing anything. Drop checks report the rows they would drop.
 */
export async function checkAsset(asset: ResolvedAsset, step: Step, env: MaterializeEnv): Promise<StepResult> {
  const lakehouse = await env.lakehouse.session();
  try {
    const table = await lakehouse.table(asset.key);
    if (!(await table.exists())) throw new CoreError('CORE_SELECTION', `${asset.key} has not been materialized yet: nothing to check`);
    const snapshot = await table.snapshot();
    await lakehouse.useDomain(asset.domain);
    const view = [asset.domain, asset.layer, asset.name].map(ident).join('.');
    const where = asset.partitions && step.partition !== undefined ? ` WHERE ${partitionPredicate(asset.partitions, step.partition)}` : '';
    const ctx = { lakehouse, asset, runId: env.runId, partition: step.partition, record: env.recordCheck, signal: new AbortController().signal };
    const reportOnly = asset.checks.map((c) => (c.action === 'drop' ? { ...c, action: 'warn' as const } : c));
    const outcomes = await gate(ctx, `SELECT * FROM ${view}${where}`, reportOnly);
    await recordOutcomes(ctx, outcomes, snapshot.version);
    const failed = outcomes.filter((o) => !o.passed).length;
    return { materialized: false, metadata: { checks: outcomes.length, failed } };
  } finally {
    await lakehouse.close();
  }
}
