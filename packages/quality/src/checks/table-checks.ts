import { QualityError } from '../errors.ts';
import { normalizeType } from './column-types.ts';
import type { RelationColumns } from './columns.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import type { Finding } from './outcome.ts';
import type { ResolvedCheck } from './resolve.ts';
import { count, rows } from './words.ts';

type RowCountCheck = Extract<ResolvedCheck, { type: 'row_count' }>;
type FreshnessCheck = Extract<ResolvedCheck, { type: 'freshness' }>;
type SchemaCheck = Extract<ResolvedCheck, { type: 'schema' }>;

/** Judges the row count against min, max and the change from the previous version's count. */
export function rowCountFinding(check: RowCountCheck, n: number, previous: number | undefined): Finding {
  const metrics: Record<string, number | string> = { rows: n };
  const problems: string[] = [];
  const notes: string[] = [];
  if (check.min !== undefined && n < check.min) problems.push(`fewer than the minimum ${count(check.min)}`);
  if (check.max !== undefined && n > check.max) problems.push(`more than the maximum ${count(check.max)}`);
  if (check.max_change_pct !== undefined) {
    if (previous === undefined) notes.push('no previous row count to compare with');
    else if (previous === 0) {
      metrics.previous_rows = 0;
      notes.push('the previous version had no rows, so the change cannot be measured');
    } else {
      const pct = ((n - previous) / previous) * 100;
      Object.assign(metrics, { previous_rows: previous, change_pct: Math.round(pct * 100) / 100 });
      const change = `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} % from the previous ${count(previous)}`;
      if (Math.abs(pct) > check.max_change_pct) problems.push(`a change of ${change}, more than the ${check.max_change_pct} % allowed`);
      else notes.push(`${change} (at most ${check.max_change_pct} % allowed)`);
    }
  }
  const head = `the table has ${rows(n)}`;
  if (problems.length > 0) return { passed: false, metrics, message: `${head}: ${problems.join('; ')}` };
  return { passed: true, metrics, message: notes.length > 0 ? `${head}; ${notes.join('; ')}` : head };
}

/**
 * Judges the age of the newest value (`ms` since the epoch, undefined when the column has no
 * value or only an infinite one; `text` as the engine prints it) or, for a check without a
 * column, of the last load.
 */
export function freshnessFinding(check: FreshnessCheck, newest: { ms?: number; text?: string }, now: Date): Finding {
  const maxAge = parseDuration(check.max_age) as number;
  const what = check.column === undefined ? 'the last load' : `the newest ${check.column}`;
  if (newest.ms === undefined) {
    // A value without epoch is an infinite timestamp ('infinity' read from text).
    const why = newest.text === undefined ? 'has no value' : `has ${newest.text} as its newest value, which is no point in time`;
    return { passed: false, metrics: { max_age_seconds: maxAge / 1000 }, message: `${check.column} ${why}, so its freshness cannot be measured` };
  }
  const age = now.getTime() - newest.ms;
  const metrics = { newest: newest.text ?? utcText(new Date(newest.ms)), age_seconds: Math.round(age / 1000), max_age_seconds: maxAge / 1000 };
  if (age < 0) return { passed: true, metrics, message: `${what} (${metrics.newest}) is in the future by ${formatDuration(age)}` };
  const passed = age <= maxAge;
  return {
    passed,
    metrics,
    message: `${what} (${metrics.newest}) is ${formatDuration(age)} old, ${passed ? 'within' : 'more than'} the maximum age of ${check.max_age}`,
  };
}

/** The age of the last load for a freshness check without a column. */
export function lastLoadFinding(check: FreshnessCheck, lastLoadedAt: Date | undefined, now: Date): Finding {
  if (lastLoadedAt === undefined) {
    throw new QualityError(
      'QUALITY_CHECK_ERROR',
      `check ${check.name}: a freshness check without a column measures the age of the last load, but no last load time was given (lastLoadedAt)`,
    );
  }
  return freshnessFinding(check, { ms: lastLoadedAt.getTime(), text: utcText(lastLoadedAt) }, now);
}

/** Compares the relation's columns with the expected ones; types compared with aliases normalised. */
export function schemaFinding(check: SchemaCheck, columns: RelationColumns): Finding {
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const [name, expected] of Object.entries(check.columns)) {
    const actual = columns.get(name);
    if (!actual) missing.push(name);
    else if (normalizeType(actual.type) !== normalizeType(expected)) mismatched.push(`${actual.name} is ${actual.type}, expected ${normalizeType(expected)}`);
  }
  const expected = new Set(Object.keys(check.columns).map((n) => n.toLowerCase()));
  const extra = check.allow_extra ? [] : columns.list.filter((c) => !expected.has(c.name.toLowerCase())).map((c) => c.name);
  const problems = [
    ...(missing.length > 0 ? [`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
    ...mismatched,
    ...(extra.length > 0 ? [`unexpected column${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`] : []),
  ];
  const metrics = { missing_columns: missing.length, type_mismatches: mismatched.length, extra_columns: extra.length };
  if (problems.length > 0) return { passed: false, metrics, message: `the schema differs from the expected one: ${problems.join('; ')}` };
  const n = expected.size;
  return { passed: true, metrics, message: `the ${n} expected column${n > 1 ? 's are' : ' is'} present with ${n > 1 ? 'their' : 'its'} type${n > 1 ? 's' : ''}` };
}

/** A time as DuckDB prints a TIMESTAMPTZ in UTC: `2024-01-01 06:00:00+00`. */
function utcText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '+00');
}
