import { z } from 'zod';
import type { Engine } from '@strata/delta';
import { parseDuration } from '../duration.ts';

/*
 * Check definitions as data stewards write them in YAML (snake_case keys), also usable from
 * TypeScript. `CheckSchema` validates one definition; `resolveChecks` adds names and defaults.
 */

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

const column = z.string().min(1, 'a column name cannot be empty');

/** Keys every check has. */
const common = {
  /** Unique per asset; defaults to a name derived from the check, as dbt names its tests (`not_null_id`). */
  name: z.string().regex(NAME, 'a check name is letters, digits and _ . : -').optional(),
  /** How a failure is reported. */
  severity: z.enum(['warn', 'error']).default('error'),
  /** Whether a failure stops the commit; default: severity error and action fail. */
  blocking: z.boolean().optional(),
  description: z.string().optional(),
};

/** Row-level checks judge each row, so their failing rows can be dropped (and quarantined). */
const rowAction = {
  /** fail: the check fails; warn: record only; drop: remove the failing rows. Default by severity. */
  action: z.enum(['warn', 'drop', 'fail']).optional(),
};

/** Table-level checks judge the whole table: there is no row to drop. */
const tableAction = {
  action: z
    .enum(['warn', 'fail'], { error: 'action drop applies only to row-level checks (not_null, unique, accepted_values, range, regex, relationships, expression); this check judges the whole table, use warn or fail' })
    .optional(),
};

const oneOfColumnOrColumns = (v: { column?: string; columns?: string[] }) => (v.column === undefined) !== (v.columns === undefined);
const columnOrColumns = { message: 'give either column or columns (one of them)', path: ['columns'] };

/** A range bound: a number, or a date or timestamp written as text (`2024-01-01`, `2024-01-01T06:00:00Z`). */
const bound = z.union([
  z.number().refine(Number.isFinite, 'a bound must be a finite number'),
  z.string().refine((s) => TIME_TEXT.test(s.trim()) && !Number.isNaN(timeMs(s)), 'a bound is a number, a date (2024-01-01) or a timestamp (2024-01-01T06:00:00Z)'),
]);

/** Milliseconds of a time bound; text without an offset is read as UTC, as the engine does. */
export function timeMs(s: string): number {
  const t = s.trim().replace(' ', 'T');
  return Date.parse(/(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(t) || t.length === 10 ? t : `${t}Z`);
}

export const NotNullCheckSchema = z
  .strictObject({ type: z.literal('not_null'), column: column.optional(), columns: z.array(column).min(1).optional(), ...common, ...rowAction })
  .refine(oneOfColumnOrColumns, columnOrColumns);

/** Rows whose key has a NULL in any of its columns are ignored (as dbt ignores NULLs). */
export const UniqueCheckSchema = z
  .strictObject({ type: z.literal('unique'), column: column.optional(), columns: z.array(column).min(1).optional(), ...common, ...rowAction })
  .refine(oneOfColumnOrColumns, columnOrColumns);

export const AcceptedValuesCheckSchema = z.strictObject({
  type: z.literal('accepted_values'),
  column,
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1, 'accepted_values needs at least one value'),
  /** Quote the values as SQL strings (default); false inserts them as written (numbers, SQL expressions). */
  quote: z.boolean().default(true),
  ...common,
  ...rowAction,
});

/** NULL values pass; non-NULL values that cannot be read as the bounds' kind fail. */
export const RangeCheckSchema = z
  .strictObject({
    type: z.literal('range'),
    column,
    min: bound.optional(),
    max: bound.optional(),
    min_inclusive: z.boolean().default(true),
    max_inclusive: z.boolean().default(true),
    ...common,
    ...rowAction,
  })
  .refine((v) => v.min !== undefined || v.max !== undefined, { message: 'range needs min, max or both', path: ['min'] })
  .refine((v) => v.min === undefined || v.max === undefined || typeof v.min === typeof v.max, {
    message: 'min and max must be of the same kind (both numbers, or both dates/timestamps)',
    path: ['max'],
  })
  .refine((v) => v.min === undefined || v.max === undefined || boundValue(v.min) <= boundValue(v.max), { message: 'min must not be greater than max', path: ['max'] });

export const RegexCheckSchema = z.strictObject({
  type: z.literal('regex'),
  column,
  /** A regular expression (RE2 syntax) the whole value must match; NULL values pass. */
  pattern: z.string().min(1),
  ...common,
  ...rowAction,
});

/** Every non-NULL value of `column` must appear in `field` of the relation `to`. */
export const RelationshipsCheckSchema = z.strictObject({
  type: z.literal('relationships'),
  column,
  /** The parent relation: SQL, or a name that the caller's `resolveRelation` turns into SQL. */
  to: z.string().min(1),
  field: column,
  ...common,
  ...rowAction,
});

export const RowCountCheckSchema = z
  .strictObject({
    type: z.literal('row_count'),
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().nonnegative().optional(),
    /** Largest allowed change, in percent, from the previous version's row count. */
    max_change_pct: z.number().nonnegative().optional(),
    ...common,
    ...tableAction,
  })
  .refine((v) => v.min !== undefined || v.max !== undefined || v.max_change_pct !== undefined, { message: 'row_count needs min, max or max_change_pct', path: ['min'] })
  .refine((v) => v.min === undefined || v.max === undefined || v.min <= v.max, { message: 'min must not be greater than max', path: ['max'] });

export const FreshnessCheckSchema = z.strictObject({
  type: z.literal('freshness'),
  /** A date or timestamp column whose newest value must be recent; without it, the age of the last load. */
  column: column.optional(),
  /** `36h`, `2d`, `1h30m`, `PT6H`… */
  max_age: z.string().refine((s) => parseDuration(s) !== undefined, 'max_age is a duration such as 36h, 2d, 1h30m or PT6H'),
  ...common,
  ...tableAction,
});

export const SchemaCheckSchema = z.strictObject({
  type: z.literal('schema'),
  /** Expected columns and their DuckDB types (aliases such as int, text, timestamptz accepted). */
  columns: z.record(z.string().min(1), z.string().min(1)).refine((c) => Object.keys(c).length > 0, 'schema needs at least one column'),
  /** Whether columns not listed are allowed (default true). */
  allow_extra: z.boolean().default(true),
  ...common,
  ...tableAction,
});

export const ExpressionCheckSchema = z.strictObject({
  type: z.literal('expression'),
  /** An SQL boolean evaluated per row; a row fails when it is not TRUE. */
  expression: z.string().min(1),
  /** Whether a row whose expression is NULL passes (default false: it fails). */
  null_passes: z.boolean().default(false),
  ...common,
  ...rowAction,
});

export const CustomSqlCheckSchema = z.strictObject({
  type: z.literal('custom_sql'),
  /** A query returning the failing rows; `{{ relation }}` stands for the asset's rows. */
  sql: z.string().min(1),
  ...common,
  ...tableAction,
});

/** What a TypeScript check receives. */
export interface CustomCheckContext {
  readonly engine: Engine;
  /** The asset's rows as a FROM item. */
  readonly relation: string;
  readonly checkName: string;
  /** Runs a query on the engine; `{{ relation }}` in it stands for the asset's rows. */
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
}

/** What a TypeScript check returns. */
export interface CustomCheckResult {
  readonly passed: boolean;
  readonly failingRows?: number;
  /** Shown with the outcome as its metrics. */
  readonly metadata?: Readonly<Record<string, number | string>>;
  /** Plain words for the outcome; a default one is written when absent. */
  readonly message?: string;
  readonly sample?: readonly Record<string, unknown>[];
}

export type CustomCheckRun = (ctx: CustomCheckContext) => Promise<CustomCheckResult>;

export const CustomCheckSchema = z.strictObject({
  type: z.literal('custom'),
  name: z.string().regex(NAME, 'a check name is letters, digits and _ . : -'),
  run: z.custom<CustomCheckRun>((v) => typeof v === 'function', 'run must be a function (ctx) => Promise<{ passed, failingRows?, metadata? }>'),
  severity: common.severity,
  blocking: common.blocking,
  description: common.description,
  ...tableAction,
});

/** One check definition. */
export const CheckSchema = z.discriminatedUnion('type', [
  NotNullCheckSchema,
  UniqueCheckSchema,
  AcceptedValuesCheckSchema,
  RangeCheckSchema,
  RegexCheckSchema,
  RelationshipsCheckSchema,
  RowCountCheckSchema,
  FreshnessCheckSchema,
  SchemaCheckSchema,
  ExpressionCheckSchema,
  CustomSqlCheckSchema,
  CustomCheckSchema,
]);

/** The checks of one asset. */
export const ChecksSchema = z.array(CheckSchema);

/** Lists and records made read-only, so that read-only definitions are accepted too. */
type Frozen<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly Frozen<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Frozen<T[K]> }
      : T;

/** A check as written (defaults may be left out). */
export type CheckDefinition = Frozen<z.input<typeof CheckSchema>>;
/** A check after validation, defaults applied. */
export type ParsedCheck = z.output<typeof CheckSchema>;
export type CheckType = ParsedCheck['type'];
export type CheckAction = 'warn' | 'drop' | 'fail';
export type RangeBound = number | string;

/** Checks that judge each row; only they can drop rows. */
export const ROW_LEVEL_TYPES = ['not_null', 'unique', 'accepted_values', 'range', 'regex', 'relationships', 'expression'] as const;

export function boundValue(b: RangeBound): number {
  return typeof b === 'number' ? b : timeMs(b);
}
