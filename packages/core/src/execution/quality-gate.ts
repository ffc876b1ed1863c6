import { sqlIdent as ident, sqlString as q } from '@strata/delta';
import { randomUUID } from 'node:crypto';
import type { CheckDefinition, CheckOutcome } from '@strata/quality';
import { dropRelationSql, evaluateChecks, isQualityError, resolveChecks } from '@strata/quality';
import type { ResolvedAsset } from '../definitions/asset.ts';
import { companionKey } from '../definitions/asset-key.ts';
import { relationshipTarget } from '../definitions/check-deps.ts';
import { CoreError } from '../errors.ts';
import type { Lakehouse } from '../lakehouse/lakehouse.ts';

/** A check's or a monitor's outcome, as recorded. */
export type RecordedCheck = Omit<CheckOutcome, 'type' | 'action'> & { readonly type: string; readonly action: string };

/** Where check outcomes go: run storage and the run's events. */
export type CheckRecorder = (outcome: RecordedCheck, where: { asset: ResolvedAsset; partition?: string; tableVersion?: number }) => Promise<void>;

/** What the gate needs to know about the step. */
export interface GateContext {
  readonly lakehouse: Lakehouse;
  readonly asset: ResolvedAsset;
  readonly runId: string;
  readonly partition?: string;
  readonly record?: CheckRecorder;
  readonly signal: AbortSignal;
}

/** The checks of an asset, validated and split by when they run. */
export function splitChecks(asset: ResolvedAsset): { drop: CheckDefinition[]; gate: CheckDefinition[] } {
  if (asset.checks.length === 0) return { drop: [], gate: [] };
  const resolved = resolveChecks(asset.checks, asset.source ?? asset.key);
  const drop = asset.checks.filter((_, i) => resolved[i]?.action === 'drop');
  const gate = asset.checks.filter((_, i) => resolved[i]?.action !== 'drop');
  return { drop, gate };
}

/**
 * Applies the asset's drop checks to the step's result: failing rows go to the asset's quarantine
 * table (`<name>__quarantine`: the row's values as text, with `_reason`, `_run_id`, `_partition`,
 * `_quarantined_at`), the others go on to be
 * written. The result is staged in a temporary table so the query runs once. Returns the SQL of
 * the rows to write and a cleanup.
 */
export async function applyDrops(ctx: GateContext, sql: string, drop: readonly CheckDefinition[]): Promise<{ sql: string; dropped: number; dispose(): Promise<void> }> {
  const engine = ctx.lakehouse.engine;
  const stage = `strata_stage_${randomUUID().replaceAll('-', '')}`;
  await engine.exec(`CREATE TEMP TABLE ${ident(stage)} AS ${sql}`);
  const dispose = () => engine.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
  try {
    const split = guard(ctx, () => dropRelationSql(`SELECT * FROM ${ident(stage)}`, drop, { resolveRelation: relationResolver(ctx.asset) }));
    // Values are kept as text: the quarantine table holds rows of every stage and every version of the asset.
    const quarantined = `SELECT CAST(COLUMNS(* EXCLUDE (_reason)) AS VARCHAR), _reason, ${q(ctx.runId)} AS _run_id, ${ctx.partition === undefined ? 'NULL::VARCHAR' : q(ctx.partition)} AS _partition,
      now() AS _quarantined_at FROM (${split.quarantine})`;
    const [{ n } = { n: 0 }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM (${split.quarantine})`);
    if (n > 0) {
      const table = await ctx.lakehouse.table(companionKey(ctx.asset.key, 'quarantine'));
      await table.write(quarantined, { mode: 'append', evolveSchema: true, signal: ctx.signal });
      await ctx.lakehouse.refreshView(companionKey(ctx.asset.key, 'quarantine'));
    }
    return { sql: split.keep, dropped: Number(n), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/**
 * Evaluates checks over rows about to be committed (or just written) and throws CORE_CHECK_FAILED
 * when a blocking check failed, after recording every outcome: called before the commit, the
 * commit never happens. Outcomes of a gate that passed are returned, to be recorded with the
 * version the commit produces (`recordOutcomes`).
 */
export async function gate(ctx: GateContext, sql: string, checks: readonly CheckDefinition[], extra: { previousRowCount?: () => Promise<number | undefined> } = {}): Promise<CheckOutcome[]> {
  if (checks.length === 0) return [];
  const relative = checks.some((c) => c.type === 'row_count' && c.max_change_pct !== undefined);
  const previous = relative ? await extra.previousRowCount?.() : undefined;
  const outcomes = await guardAsync(ctx, () =>
    evaluateChecks(ctx.lakehouse.engine, sql, checks, { resolveRelation: relationResolver(ctx.asset), previousRowCount: previous }),
  );
  const blocking = outcomes.filter((o) => o.blocking && !o.passed);
  if (blocking.length > 0) {
    await recordOutcomes(ctx, outcomes);
    throw new CoreError(
      'CORE_CHECK_FAILED',
      `${ctx.asset.key}${ctx.partition ? `[${ctx.partition}]` : ''}: ${blocking.map((o) => `${o.name}: ${o.message}`).join('; ')}; nothing was committed`,
    );
  }
  return outcomes;
}

/** Records outcomes in run storage and the run's events. */
export async function recordOutcomes(ctx: GateContext, outcomes: readonly CheckOutcome[], tableVersion?: number): Promise<void> {
  for (const o of outcomes) await ctx.record?.(o, { asset: ctx.asset, partition: ctx.partition, tableVersion });
}

/** One drop check per declared cast: a non-NULL value that does not convert to its type. */
export function castChecks(casts: Readonly<Record<string, string>>): CheckDefinition[] {
  return Object.entries(casts).map(([column, type]) => ({
    type: 'expression' as const,
    name: `cast_${column.replace(/[^A-Za-z0-9_]+/g, '_')}`,
    expression: `${ident(column)} IS NULL OR TRY_CAST(${ident(column)} AS ${type}) IS NOT NULL`,
    action: 'drop' as const,
    description: `${column} converts to ${type}`,
  }));
}

/** The rows with their declared casts applied (every value converts: the others were dropped). */
export function castSql(sql: string, casts: Readonly<Record<string, string>>): string {
  const replace = Object.entries(casts).map(([column, type]) => `CAST(${ident(column)} AS ${type}) AS ${ident(column)}`);
  return `SELECT * REPLACE (${replace.join(', ')}) FROM (${sql})`;
}

/** Relationships checks name assets (`silver.parks`); they read the asset's view. */
function relationResolver(asset: ResolvedAsset): (name: string) => string {
  return (name) => {
    const key = relationshipTarget(name, asset.domain);
    return key ? key.split('.').map(ident).join('.') : name;
  };
}

/** A check that cannot be evaluated (a missing column, bad SQL) is the asset author's error. */
function guard<T>(ctx: GateContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw userError(ctx, e);
  }
}

async function guardAsync<T>(ctx: GateContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw userError(ctx, e);
  }
}

function userError(ctx: GateContext, e: unknown): unknown {
  if (!isQualityError(e)) return e;
  return new CoreError('CORE_USER_CODE', `${ctx.asset.key}${ctx.asset.source ? ` (${ctx.asset.source})` : ''}: ${e.message}`, { cause: e, userStack: e.message });
}
