import type { Engine } from '@strata/delta';
import { QualityError } from '../errors.ts';
import { RelationColumns } from './columns.ts';
import type { Column } from './columns.ts';
import { measureCustom, measureCustomSql } from './custom.ts';
import type { CheckDefinition } from './definition.ts';
import type { CheckOutcome, EvaluateOptions, Finding, SampleRow } from './outcome.ts';
import { checkParent } from './relationships.ts';
import { isRowLevel, resolveChecks } from './resolve.ts';
import type { ResolvedCheck } from './resolve.ts';
import { rowRule } from './row-rules.ts';
import { fetchSample, sampleColumns } from './samples.ts';
import { runScan } from './scan.ts';
import { isScanCheck, scanPart } from './scan-parts.ts';
import { fromItem } from './sql.ts';
import { lastLoadFinding, schemaFinding } from './table-checks.ts';
import { measureUnique } from './unique.ts';

/**
 * Evaluates an asset's checks over `relationSql` (a table or view name, a table function call or
 * a query) and returns one outcome per check, in the checks' order. The data is read as few
 * times as possible: one aggregate query measures every row-level check (relationships as
 * anti-joins inside it, unique as a DISTINCT count), row_count and freshness together; each
 * custom_sql check is one query (its sample included); schema checks read no data. Only what
 * failed costs more: one GROUP BY GROUPING SETS for the unique checks that found repeated keys
 * (duplicated keys, rows and samples), and one query per other failed row-level check for its
 * sample, which stops at `sampleSize` rows.
 *
 * Throws QUALITY_INVALID_DEFINITION for invalid checks, QUALITY_CHECK_ERROR naming the check when
 * it references a column the relation lacks, when the engine refuses its SQL or when a custom
 * check throws.
 */
export async function evaluateChecks(engine: Engine, relationSql: string, checks: readonly CheckDefinition[], options: EvaluateOptions = {}): Promise<CheckOutcome[]> {
  const resolved = resolveChecks(checks);
  if (resolved.length === 0) return [];
  const from = fromItem(relationSql);
  const sampleSize = Math.max(0, Math.floor(options.sampleSize ?? 5));
  const columns = await relationColumns(engine, from);
  const findings = new Map<string, Finding>();

  for (const check of resolved) if (check.type === 'relationships') await checkParent(engine, check, options.resolveRelation);
  // Building the parts checks every column reference, before any data is read.
  const parts = resolved.filter(isScanCheck).map((check, i) => scanPart(check, `c${i}_`, columns, options));
  if (parts.length > 0) {
    const row = await runScan(engine, from, parts);
    for (const part of parts) findings.set(part.check.name, part.read(row));
  }
  const repeated = resolved.filter((c): c is Extract<ResolvedCheck, { type: 'unique' }> => c.type === 'unique' && findings.get(c.name)?.passed === false);
  if (repeated.length > 0) for (const [name, f] of await measureUnique(engine, from, repeated, columns, sampleSize)) findings.set(name, f);
  const now = options.now ?? new Date();
  for (const check of resolved) {
    if (check.type === 'custom_sql') findings.set(check.name, await measureCustomSql(engine, relationSql, check, sampleSize));
    else if (check.type === 'custom') findings.set(check.name, await measureCustom(engine, relationSql, check, sampleSize));
    else if (check.type === 'schema') findings.set(check.name, schemaFinding(check, columns));
    else if (check.type === 'freshness' && check.column === undefined) findings.set(check.name, lastLoadFinding(check, options.lastLoadedAt, now));
  }
  // Samples of the checks measured by the aggregate query, for those that failed only.
  const rules = { resolveRelation: options.resolveRelation, columnType: (name: string) => columns.get(name)?.type };
  for (const check of resolved) {
    const f = findings.get(check.name);
    if (!f || f.passed || f.sample || !isRowLevel(check) || sampleSize === 0) continue;
    const cols = sampleColumns(columns, checkedColumns(check, columns), options.sampleKeyColumns);
    findings.set(check.name, { ...f, sample: await fetchSample(engine, from, rowRule(check, rules).fails, cols, sampleSize) });
  }
  return resolved.map((check) => outcome(check, findings.get(check.name) as Finding, options.maskSample));
}

/** The columns of a relation and their DuckDB types, read without running it (for DropOptions.columns). */
export async function describeRelation(engine: Engine, relationSql: string): Promise<readonly Column[]> {
  return (await relationColumns(engine, fromItem(relationSql))).list;
}

async function relationColumns(engine: Engine, from: string): Promise<RelationColumns> {
  try {
    return await RelationColumns.describe(engine, from);
  } catch (e) {
    throw new QualityError('QUALITY_CHECK_ERROR', `the checks cannot run: the relation ${from.slice(0, 200)} cannot be read: ${(e as Error).message}`, { cause: e });
  }
}

/** The columns a check reads; for an expression, the relation's columns its text names. */
function checkedColumns(check: ResolvedCheck, columns: RelationColumns): string[] {
  switch (check.type) {
    case 'not_null':
    case 'unique':
      return check.columns ?? [check.column as string];
    case 'accepted_values':
    case 'range':
    case 'regex':
    case 'relationships':
      return [check.column];
    case 'expression': {
      const words = new Set([...check.expression.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => (m[1]?.replaceAll('""', '"') ?? m[2] ?? '').toLowerCase()));
      return columns.list.filter((c: Column) => words.has(c.name.toLowerCase())).map((c) => c.name);
    }
    default:
      return [];
  }
}

function outcome(check: ResolvedCheck, f: Finding, mask: ((rows: SampleRow[]) => SampleRow[]) | undefined): CheckOutcome {
  return {
    name: check.name,
    type: check.type,
    severity: check.severity,
    action: check.action,
    blocking: check.blocking,
    passed: f.passed,
    ...(f.failingRows === undefined ? {} : { failingRows: f.failingRows }),
    ...(f.sample && f.sample.length > 0 ? { sample: mask ? mask(f.sample) : f.sample } : {}),
    ...(f.metrics && Object.keys(f.metrics).length > 0 ? { metrics: f.metrics } : {}),
    message: f.message,
    ...(check.description === undefined ? {} : { description: check.description }),
  };
}
