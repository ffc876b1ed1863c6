import { QualityError } from '../errors.ts';
import { RelationColumns } from './columns.ts';
import type { Column } from './columns.ts';
import type { CheckDefinition } from './definition.ts';
import { isRowLevel, resolveChecks } from './resolve.ts';
import type { RowLevelCheck } from './resolve.ts';
import { rowRule } from './row-rules.ts';
import type { RowRule } from './row-rules.ts';
import { fromItem, ident } from './sql.ts';

export interface DropOptions {
  /** Turns a relationships check's `to:` into relation SQL (default: `to` is the SQL). */
  readonly resolveRelation?: (name: string) => string;
  /** The quarantine column holding the reasons (default `_reason`). */
  readonly reasonColumn?: string;
  /**
   * The relation's columns and DuckDB types (as `describeRelation` gives them). Optional: with
   * them, range checks compare columns already of the bounds' kind without converting each value.
   */
  readonly columns?: readonly Column[];
}

function dropRules(checks: readonly CheckDefinition[], options: DropOptions): { check: RowLevelCheck; rule: RowRule }[] {
  const columns = options.columns && new RelationColumns(options.columns);
  return resolveChecks(checks)
    .filter((c): c is RowLevelCheck => isRowLevel(c) && c.action === 'drop')
    .map((check) => ({ check, rule: rowRule(check, { resolveRelation: options.resolveRelation, columnType: (name) => columns?.get(name)?.type }) }));
}

function perRowRules(checks: readonly CheckDefinition[], options: DropOptions): RowRule[] {
  return dropRules(checks, options).map(({ check, rule }) => {
    if (rule.window) {
      throw new QualityError(
        'QUALITY_INVALID_DEFINITION',
        `check ${check.name} drops duplicated rows, which needs a window over the whole relation; use dropRelationSql`,
      );
    }
    return rule;
  });
}

const passSql = (rules: readonly RowRule[]) => (rules.length === 0 ? 'TRUE' : rules.map((r) => `NOT ${r.fails}`).join(' AND '));
const reasonSql = (rules: readonly RowRule[]) =>
  rules.length === 0 ? 'CAST(NULL AS VARCHAR)' : `concat_ws('; ', ${rules.map((r) => `CASE WHEN ${r.fails} THEN ${r.reason} END`).join(', ')})`;

/**
 * The SQL boolean that is TRUE for the rows passing every check whose action is drop (TRUE when
 * there is none), over the relation's columns: `SELECT * FROM rel WHERE <it>`. A unique check
 * that drops needs a window: it is refused here (QUALITY_INVALID_DEFINITION), use dropRelationSql.
 */
export function dropPredicate(checks: readonly CheckDefinition[], options: DropOptions = {}): string {
  return passSql(perRowRules(checks, options));
}

/**
 * SQL VARCHAR listing, for a row that fails drop checks, each failed check and why, separated by
 * `; ` (`not_null_id: id is NULL; range_amount: amount < 0 (min 0)`); empty for a passing row.
 * Refuses unique drop checks as dropPredicate does.
 */
export function failureReasonSql(checks: readonly CheckDefinition[], options: DropOptions = {}): string {
  return reasonSql(perRowRules(checks, options));
}

/** dropPredicate and failureReasonSql together. */
export function rowFilter(checks: readonly CheckDefinition[], options: DropOptions = {}): { pass: string; reason: string } {
  const rules = perRowRules(checks, options);
  return { pass: passSql(rules), reason: reasonSql(rules) };
}

/**
 * Two statements splitting the relation by its drop checks, unique and relationships included:
 * `keep` selects the rows passing all of them, `quarantine` the others with one more column
 * (`_reason` by default) saying which checks they failed and why. Every row lands in exactly one
 * of the two. A unique check drops every row of a duplicated key, not all but one: which of
 * the copies is right cannot be told, so all of them go to quarantine.
 */
export function dropRelationSql(relationSql: string, checks: readonly CheckDefinition[], options: DropOptions = {}): { keep: string; quarantine: string } {
  const rules = dropRules(checks, options).map((r) => r.rule);
  const from = fromItem(relationSql);
  // A window function cannot appear in WHERE; QUALIFY filters after windows are computed.
  const filter = rules.some((r) => r.window) ? 'QUALIFY' : 'WHERE';
  const pass = passSql(rules);
  return {
    keep: `SELECT * FROM ${from} ${filter} ${pass}`,
    quarantine: `SELECT *, ${reasonSql(rules)} AS ${ident(options.reasonColumn ?? '_reason')} FROM ${from} ${filter} NOT (${pass})`,
  };
}
