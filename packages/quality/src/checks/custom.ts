import type { Engine } from '@strata/delta';
import { QualityError } from '../errors.ts';
import { RelationColumns } from './columns.ts';
import type { CustomCheckContext } from './definition.ts';
import { inCheck } from './engine-errors.ts';
import type { Finding, SampleRow } from './outcome.ts';
import type { ResolvedCheck } from './resolve.ts';
import { sampleStruct } from './samples.ts';
import { fromItem, withRelation } from './sql.ts';
import { count } from './words.ts';

/**
 * Runs a custom_sql check: its query returns the failing rows. One query counts them and keeps
 * up to `sampleSize` of them.
 */
export async function measureCustomSql(engine: Engine, relationSql: string, check: Extract<ResolvedCheck, { type: 'custom_sql' }>, sampleSize: number): Promise<Finding> {
  // A trailing semicolon or -- comment must not break the query the check's SQL is put in.
  const failing = `(${withRelation(check.sql.trim().replace(/;+$/, ''), relationSql)}\n) AS _failing`;
  const columns = await inCheck(check.name, () => RelationColumns.describe(engine, failing));
  const sample = sampleSize > 0 && columns.list.length > 0 ? `, min(${sampleStruct(dedupe(columns))}, ${Math.floor(sampleSize)}) AS sample` : '';
  const [row] = await inCheck(check.name, () => engine.query(`SELECT count(*) AS failing${sample} FROM ${failing}`));
  const n = Number(row?.failing ?? 0);
  if (n === 0) return { passed: true, failingRows: 0, message: 'the check query returned no rows' };
  return {
    passed: false,
    failingRows: n,
    message: `the check query returned ${count(n)} failing row${n === 1 ? '' : 's'}`,
    ...(row?.sample ? { sample: row.sample as SampleRow[] } : {}),
  };
}

/** Columns of a query result that may repeat a name (`SELECT a, a`): the first of each name. */
function dedupe(columns: RelationColumns) {
  return columns.list.filter((c, i) => columns.list.findIndex((o) => o.name.toLowerCase() === c.name.toLowerCase()) === i);
}

/** Runs a TypeScript check inside an error boundary: what it throws is reported as the check's fault. */
export async function measureCustom(engine: Engine, relationSql: string, check: Extract<ResolvedCheck, { type: 'custom' }>, sampleSize: number): Promise<Finding> {
  const ctx: CustomCheckContext = {
    engine,
    relation: fromItem(relationSql),
    checkName: check.name,
    query: (sql) => engine.query(withRelation(sql, relationSql)),
  };
  let result: unknown;
  try {
    result = await check.run(ctx);
  } catch (e) {
    throw new QualityError('QUALITY_CHECK_ERROR', `check ${check.name} (custom) threw: ${(e as Error).message ?? String(e)}`, { cause: e });
  }
  const r = result as { passed?: unknown; failingRows?: unknown; metadata?: unknown; message?: unknown; sample?: unknown } | undefined;
  if (typeof r?.passed !== 'boolean' || (r.failingRows !== undefined && typeof r.failingRows !== 'number')) {
    throw new QualityError('QUALITY_CHECK_ERROR', `check ${check.name} (custom) returned ${JSON.stringify(result)}; expected { passed: boolean, failingRows?: number, metadata? }`);
  }
  const failingRows = r.failingRows as number | undefined;
  const defaultMessage = r.passed ? 'the check passed' : failingRows === undefined ? 'the check failed' : `the check found ${count(failingRows)} failing row${failingRows === 1 ? '' : 's'}`;
  return {
    passed: r.passed,
    ...(failingRows === undefined ? {} : { failingRows }),
    ...(r.metadata && typeof r.metadata === 'object' ? { metrics: { ...(r.metadata as Record<string, number | string>) } } : {}),
    message: typeof r.message === 'string' ? r.message : defaultMessage,
    ...(Array.isArray(r.sample) ? { sample: (r.sample as SampleRow[]).slice(0, sampleSize) } : {}),
  };
}
