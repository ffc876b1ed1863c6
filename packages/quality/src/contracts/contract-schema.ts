import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { LOGICAL_TYPES, normalizeType, typeMatches } from './types.ts';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const ASSET_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

const RULE_TYPES = ['not_null', 'unique', 'accepted_values', 'range', 'regex', 'expression', 'row_count'] as const;

const COLUMN_NAME = z.string().regex(/^\S(.*\S)?$/, 'expected a column name (not empty, no surrounding spaces)');
const TYPE = z.string().refine((t) => normalizeType(t) !== undefined, {
  error: (issue) =>
    `unknown type ${JSON.stringify(issue.input)}; expected a DuckDB type (VARCHAR, INTEGER, BIGINT, DOUBLE, ` +
    `DECIMAL(18,2), DATE, TIMESTAMP, TIMESTAMPTZ, …) or a lower-case logical type (${LOGICAL_TYPES.join(', ')})`,
});
const DURATION = z.string().refine((t) => parseDuration(t) !== undefined, 'expected a duration such as 36h, 90m, 7d or 1d12h');
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const BOUND = z.union([z.number(), z.string().regex(TIME_TEXT)], {
  error: 'expected a number, a date (2024-01-01) or a timestamp (2024-01-01T06:00:00Z)',
});
const VALUE = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' });

/** Fields every quality rule may carry (ODCS names). */
const RULE_COMMON = {
  /** Overrides the derived check name (`contract:<name>`). */
  name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'expected a rule name of letters, digits, _ . and -').optional(),
  /** `warn` records a failure without failing the write. */
  severity: z.enum(['error', 'warn']).default('error'),
  description: z.string().optional(),
};

/** Requires at least one bound, in order. */
function bounded<S extends z.ZodType<{ min?: number | string; max?: number | string }>>(schema: S): S {
  return schema.superRefine((r, ctx) => {
    if (r.min === undefined && r.max === undefined) ctx.addIssue({ code: 'custom', message: 'expected min, max or both' });
    else if (r.min !== undefined && r.max !== undefined && typeof r.min !== typeof r.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'expected min and max of the same kind (both numbers, or both dates/timestamps)' });
    } else if (r.min !== undefined && r.max !== undefined && r.min > r.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${r.min}) is greater than max (${r.max})` });
    }
  });
}

const PATTERN = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'expected a valid regular expression');

const ruleUnion = <const T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(options: T, types: readonly string[]) =>
  z.discriminatedUnion('type', options, {
    error: (issue) => (issue.code === 'invalid_union' ? `expected a rule type: one of ${types.join(', ')}` : undefined),
  });

/** A quality rule under a column: the column is implied. */
export const ColumnRuleSchema = ruleUnion(
  [
    z.object({ type: z.literal('not_null'), ...RULE_COMMON }).strict(),
    z.object({ type: z.literal('unique'), ...RULE_COMMON }).strict(),
    z.object({ type: z.literal('accepted_values'), values: z.array(VALUE).min(1), ...RULE_COMMON }).strict(),
    bounded(z.object({ type: z.literal('range'), min: BOUND.optional(), max: BOUND.optional(), ...RULE_COMMON }).strict()),
    z.object({ type: z.literal('regex'), pattern: PATTERN, ...RULE_COMMON }).strict(),
    z.object({ type: z.literal('expression'), expression: z.string().min(1), ...RULE_COMMON }).strict(),
  ],
  RULE_TYPES.filter((t) => t !== 'row_count'),
);

/** A table-level quality rule: rules about columns name them. */
export const TableRuleSchema = ruleUnion(
  [
    z.object({ type: z.literal('not_null'), column: COLUMN_NAME, ...RULE_COMMON }).strict(),
    z.object({ type: z.literal('unique'), columns: z.array(COLUMN_NAME).min(1), ...RULE_COMMON }).strict(),
    z.object({ type: z.literal('accepted_values'), column: COLUMN_NAME, values: z.array(VALUE).min(1), ...RULE_COMMON }).strict(),
    bounded(z.object({ type: z.literal('range'), column: COLUMN_NAME, min: BOUND.optional(), max: BOUND.optional(), ...RULE_COMMON }).strict()),
    z.object({ type: z.literal('regex'), column: COLUMN_NAME, pattern: PATTERN, ...RULE_COMMON }).strict(),
    z.object({ type: z.literal('expression'), expression: z.string().min(1), ...RULE_COMMON }).strict(),
    bounded(z.object({ type: z.literal('row_count'), min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional(), ...RULE_COMMON }).strict()),
  ],
  RULE_TYPES,
);

export const ContractColumnSchema = z
  .object({
    name: COLUMN_NAME,
    /** A DuckDB type or a lower-case ODCS logical type (see types.ts). */
    type: TYPE,
    /** Never null. */
    required: z.boolean().default(false),
    /** No two rows share a value (nulls aside). */
    unique: z.boolean().default(false),
    /** Part of the primary key: implies required; the key columns together are unique. */
    primaryKey: z.boolean().default(false),
    /** Sensitivity, e.g. public, internal, confidential, restricted, pii. */
    classification: z.string().min(1).optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    quality: z.array(ColumnRuleSchema).default([]),
  })
  .strict();

export const SlaSchema = z
  .object({
    /** Maximum age of the data, e.g. 36h. */
    freshness: DURATION,
    /** Measure the age on this column's latest value rather than on the last load. */
    freshness_column: COLUMN_NAME.optional(),
  })
  .strict();

/** A data contract: what the asset `id` promises to its consumers. The single source of the file's shape. */
export const ContractSchema = z
  .object({
    /** The Open Data Contract Standard release the file follows. */
    apiVersion: z.string().regex(/^v3(\.\d+){0,2}$/, 'expected an ODCS v3 version such as v3.0.0').optional(),
    kind: z.literal('DataContract', { error: 'expected DataContract' }),
    /** The asset key the contract governs. */
    id: z.string().regex(ASSET_KEY, 'expected an asset key such as parks.gold.revenue_by_park'),
    name: z.string().optional(),
    /** Semantic version of the contract; the major version increases with every breaking change. */
    version: z.string().regex(SEMVER, 'expected a semantic version such as 1.2.0'),
    status: z.enum(['proposed', 'draft', 'active', 'deprecated', 'retired']).default('active'),
    owner: z.string().min(1).optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    schema: z.array(ContractColumnSchema).min(1, 'expected at least one column'),
    quality: z.array(TableRuleSchema).default([]),
    sla: SlaSchema.optional(),
    /** Whether the table may have columns the contract does not list. */
    additional_columns: z.boolean().default(true),
  })
  .strict()
  .superRefine((c, ctx) => {
    const types = new Map<string, string>();
    c.schema.forEach((col, i) => {
      const key = col.name.toLowerCase();
      if (types.has(key)) ctx.addIssue({ code: 'custom', path: ['schema', i, 'name'], message: `column "${col.name}" is listed twice` });
      else types.set(key, col.type);
    });
    const known = (column: string, path: (string | number)[]) => {
      if (!types.has(column.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path, message: `column "${column}" is not in the contract's schema` });
      }
    };
    c.quality.forEach((rule, i) => {
      if ('column' in rule) known(rule.column, ['quality', i, 'column']);
      if ('columns' in rule) rule.columns.forEach((col, j) => known(col, ['quality', i, 'columns', j]));
    });
    const column = c.sla?.freshness_column;
    if (column !== undefined) {
      const type = types.get(column.toLowerCase());
      if (type === undefined) known(column, ['sla', 'freshness_column']);
      else if (!isTemporal(type)) {
        ctx.addIssue({ code: 'custom', path: ['sla', 'freshness_column'], message: `column "${column}" is ${type}; freshness needs a date or timestamp column` });
      }
    }
  });

function isTemporal(type: string): boolean {
  const t = normalizeType(type) ?? type;
  return t === 'date' || t === 'timestamp' || typeMatches('date', t) || typeMatches('timestamp', t);
}

export type Contract = z.output<typeof ContractSchema>;
export type ContractColumn = z.output<typeof ContractColumnSchema>;
export type ColumnRule = z.output<typeof ColumnRuleSchema>;
export type TableRule = z.output<typeof TableRuleSchema>;
/** A contract as written, before defaults are applied (for building contracts in code). */
export type ContractInput = z.input<typeof ContractSchema>;
