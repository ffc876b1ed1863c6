import type { ColumnRule, Contract, TableRule } from './contract-schema.ts';
import { isLogicalType, normalizeType } from './types.ts';

type Value = string | number | boolean;

interface CheckBase {
  /** `contract:` followed by the rule's name, or a name derived from its type and columns. */
  readonly name: string;
  readonly severity: 'error' | 'warn';
  /** `fail` stops the write; `warn` records the failure and lets the write through. */
  readonly action: 'fail' | 'warn';
  /** The rule's description, when the contract gives one. */
  readonly description?: string;
}

/**
 * A plain check definition derived from a contract, for the check engine to evaluate. Field names are
 * snake_case and `type` is the discriminator. In `schema` checks a column's type is a canonical DuckDB
 * type or a lower-case logical type standing for a family (see `typeMatches`).
 */
export type CheckLike = CheckBase &
  (
    | { readonly type: 'schema'; readonly columns: Readonly<Record<string, string>>; readonly allow_extra: boolean }
    | { readonly type: 'not_null'; readonly column: string }
    | { readonly type: 'unique'; readonly columns: readonly string[] }
    | { readonly type: 'accepted_values'; readonly column: string; readonly values: readonly Value[] }
    | { readonly type: 'range'; readonly column: string; readonly min?: number | string; readonly max?: number | string }
    | { readonly type: 'regex'; readonly column: string; readonly pattern: string }
    | { readonly type: 'expression'; readonly expression: string }
    | { readonly type: 'row_count'; readonly min?: number; readonly max?: number }
    | { readonly type: 'freshness'; readonly column?: string; readonly max_age: string }
  );

/** Distributes Omit over the union so each member keeps its own fields. */
type CheckBody = CheckLike extends infer C ? (C extends CheckLike ? Omit<C, keyof CheckBase> : never) : never;

/**
 * The contract as check definitions: the schema (names and DuckDB types, extra columns allowed unless
 * `additional_columns: false`; see `schemaColumns` for logical types), not_null for required and primary-key columns, unique for unique
 * columns and for the primary key (one composite check when several columns form it), the column and
 * table quality rules, and freshness from the SLA. Contract-level checks fail the write; quality rules
 * fail it unless their severity is `warn`. Names are stable and distinct: an identical repeat is
 * dropped, a different check under a taken name gets a `_2`, `_3`, … suffix.
 */
export function contractChecks(contract: Contract): CheckLike[] {
  const checks = new Map<string, CheckLike>();
  const add = (body: CheckBody, derivedName: string, rule?: { name?: string; severity: 'error' | 'warn'; description?: string }) => {
    const severity = rule?.severity ?? 'error';
    // Check names are plain words: other characters of column names become `_`.
    const base = `contract:${rule?.name ?? derivedName.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    const description = rule?.description === undefined ? {} : { description: rule.description };
    const check = { ...body, name: base, severity, action: severity === 'error' ? 'fail' : 'warn', ...description } as CheckLike;
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base}_${n}`;
      const existing = checks.get(name);
      if (existing && sameCheck(existing, { ...check, name })) return;
      if (!existing) {
        checks.set(name, { ...check, name });
        return;
      }
    }
  };

  const columns = schemaColumns(contract);
  if (Object.keys(columns).length > 0) add({ type: 'schema', columns, allow_extra: contract.additional_columns }, 'schema');
  const primaryKey = contract.schema.filter((c) => c.primaryKey).map((c) => c.name);
  for (const col of contract.schema) {
    if (col.required || col.primaryKey) add({ type: 'not_null', column: col.name }, `not_null_${col.name}`);
    if (col.unique) add({ type: 'unique', columns: [col.name] }, `unique_${col.name}`);
    for (const rule of col.quality) {
      const [body, derived] = columnRule(col.name, rule);
      add(body, derived, rule);
    }
  }
  if (primaryKey.length > 0) add({ type: 'unique', columns: primaryKey }, `unique_${primaryKey.join('_')}`);
  for (const rule of contract.quality) {
    const [body, derived] = tableRule(rule);
    add(body, derived, rule);
  }
  if (contract.sla) {
    const column = contract.sla.freshness_column;
    add({ type: 'freshness', ...(column === undefined ? {} : { column }), max_age: contract.sla.freshness }, 'freshness');
  }
  return [...checks.values()];
}

/**
 * Column → canonical DuckDB type for the schema check, which compares one type per column. A logical
 * type that is a single DuckDB type (date, boolean) is written as that type; a column with a wider
 * logical type (string, integer, number, timestamp, time, object, array) is left out, since no one
 * DuckDB type stands for it; `diffContractWithSchema` checks such columns against their family.
 */
function schemaColumns(contract: Contract): Record<string, string> {
  const single: Readonly<Record<string, string>> = { date: 'DATE', boolean: 'BOOLEAN' };
  const entries = contract.schema.flatMap((c): [string, string][] => {
    const t = normalizeType(c.type) ?? c.type;
    if (!isLogicalType(t)) return [[c.name, t]];
    const exact = single[t];
    return exact === undefined ? [] : [[c.name, exact]];
  });
  return Object.fromEntries(entries);
}

function columnRule(column: string, rule: ColumnRule): [CheckBody, string] {
  switch (rule.type) {
    case 'not_null':
      return [{ type: 'not_null', column }, `not_null_${column}`];
    case 'unique':
      return [{ type: 'unique', columns: [column] }, `unique_${column}`];
    case 'expression':
      return [{ type: 'expression', expression: rule.expression }, `expression_${slug(rule.expression)}`];
    default:
      return tableRule({ ...rule, column });
  }
}

function tableRule(rule: TableRule): [CheckBody, string] {
  switch (rule.type) {
    case 'not_null':
      return [{ type: 'not_null', column: rule.column }, `not_null_${rule.column}`];
    case 'unique':
      return [{ type: 'unique', columns: rule.columns }, `unique_${rule.columns.join('_')}`];
    case 'accepted_values':
      return [{ type: 'accepted_values', column: rule.column, values: rule.values }, `accepted_values_${rule.column}`];
    case 'range':
      return [{ type: 'range', column: rule.column, ...bounds(rule) }, `range_${rule.column}`];
    case 'regex':
      return [{ type: 'regex', column: rule.column, pattern: rule.pattern }, `regex_${rule.column}`];
    case 'expression':
      return [{ type: 'expression', expression: rule.expression }, `expression_${slug(rule.expression)}`];
    case 'row_count':
      return [{ type: 'row_count', ...bounds(rule) }, 'row_count'];
  }
}

/** Only the bounds that are set, so that checks carry no `undefined` fields. */
function bounds<T>(rule: { min?: T; max?: T }): { min?: T; max?: T } {
  return { ...(rule.min === undefined ? {} : { min: rule.min }), ...(rule.max === undefined ? {} : { max: rule.max }) };
}

/** A readable name part from an expression: its words and numbers joined by `_`. */
function slug(expression: string): string {
  return (expression.toLowerCase().match(/[a-z0-9]+/g) ?? ['expression']).join('_').slice(0, 48);
}

function sameCheck(a: CheckLike, b: CheckLike): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
