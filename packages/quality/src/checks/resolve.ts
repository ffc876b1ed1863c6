import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { QualityError } from '../errors.ts';
import { ChecksSchema, ROW_LEVEL_TYPES } from './definition.ts';
import type { CheckAction, CheckDefinition, ParsedCheck } from './definition.ts';

/** A validated check with its name, action and blocking flag settled. */
export type ResolvedCheck = ParsedCheck & {
  readonly name: string;
  /** Row-level checks: warn, drop or fail; table-level checks: warn or fail. */
  readonly action: CheckAction;
  /** Whether a failure stops the commit. Checks that warn or drop never block. */
  readonly blocking: boolean;
};

export type RowLevelCheck = Extract<ResolvedCheck, { type: (typeof ROW_LEVEL_TYPES)[number] }>;

export function isRowLevel(check: ResolvedCheck): check is RowLevelCheck {
  return (ROW_LEVEL_TYPES as readonly string[]).includes(check.type);
}

/** Characters other than letters, digits and `_` become `_`, as dbt builds test names. */
const slug = (s: string, max = 60) => s.replace(/[^0-9A-Za-z_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, max).replace(/_+$/, '');

/**
 * The check's name: its `name`, or one derived like dbt's test names: `not_null_<columns>`,
 * `unique_<columns>`, `accepted_values_<column>`, `range_<column>`, `regex_<column>`,
 * `relationships_<column>__<field>__<to>`, `row_count`, `freshness[_<column>]`, `schema`,
 * `expression_<expression>`, `custom_sql_<sql>` (characters other than letters, digits and `_`
 * replaced by `_`; the last two cut to 60 characters).
 */
export function checkName(def: CheckDefinition): string {
  if (def.name !== undefined) return def.name;
  switch (def.type) {
    case 'not_null':
    case 'unique':
      return `${def.type}_${(def.columns ?? [def.column ?? '']).map((c) => slug(c)).join('_')}`;
    case 'accepted_values':
    case 'range':
    case 'regex':
      return `${def.type}_${slug(def.column)}`;
    case 'relationships':
      return `relationships_${slug(def.column)}__${slug(def.field)}__${slug(def.to)}`;
    case 'row_count':
    case 'schema':
      return def.type;
    case 'freshness':
      return def.column === undefined ? 'freshness' : `freshness_${slug(def.column)}`;
    case 'expression':
      return `expression_${slug(def.expression)}`;
    case 'custom_sql':
      return `custom_sql_${slug(def.sql)}`;
    case 'custom':
      return def.name;
  }
}

/**
 * Validates an asset's checks and settles their defaults: severity error; action fail for
 * severity error and warn for severity warn; blocking when severity is error and action fail.
 * Throws QUALITY_INVALID_DEFINITION naming the check (its position and name) and what is wrong:
 * an invalid definition, `blocking: true` on a check that warns or drops, or two checks with
 * the same name. `where` (a file, an asset key) prefixes the messages. Idempotent.
 */
export function resolveChecks(input: unknown, where?: string): ResolvedCheck[] {
  const prefix = where === undefined ? '' : `${where}: `;
  const parsed = ChecksSchema.safeParse(input);
  if (!parsed.success) throw new QualityError('QUALITY_INVALID_DEFINITION', `${prefix}${describeIssues(parsed.error, input)}`);
  const checks = parsed.data.map((def, i): ResolvedCheck => {
    const name = checkName(def);
    const action = def.action ?? (def.severity === 'error' ? 'fail' : 'warn');
    if (def.blocking === true && action !== 'fail') {
      throw new QualityError(
        'QUALITY_INVALID_DEFINITION',
        `${prefix}check ${i + 1} (${name}): blocking applies to checks whose action is fail; with action ${action} the commit is never blocked`,
      );
    }
    return { ...def, name, action, blocking: def.blocking ?? (def.severity === 'error' && action === 'fail') } as ResolvedCheck;
  });
  const counts = new Map<string, number>();
  for (const c of checks) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1);
  if (duplicates.length > 0) {
    throw new QualityError(
      'QUALITY_INVALID_DEFINITION',
      `${prefix}check names must be unique per asset: ${duplicates.map(([n, k]) => `${n} (${k} checks)`).join(', ')}; give the checks distinct name: values`,
    );
  }
  return checks;
}

/**
 * Reads checks from YAML: a list of checks, or a mapping with a `checks:` list.
 * Throws QUALITY_INVALID_DEFINITION naming `file` (and the line of a YAML syntax error).
 */
export function checksFromYaml(text: string, file: string): ResolvedCheck[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new QualityError('QUALITY_INVALID_DEFINITION', `${file}${line === undefined ? '' : `:${line}`}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  const list = doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'checks' in doc ? (doc as { checks: unknown }).checks : (doc ?? []);
  return resolveChecks(list, file);
}

/** One line per problem: `check 2 (range_amount): min: range needs min, max or both`. */
function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const [index, ...rest] = issue.path;
      if (typeof index !== 'number') return `checks: ${issue.message}`;
      const raw = Array.isArray(input) ? (input[index] as Record<string, unknown> | undefined) : undefined;
      const on = typeof raw?.column === 'string' ? ` on ${raw.column}` : '';
      const label = typeof raw?.name === 'string' ? raw.name : typeof raw?.type === 'string' ? `${raw.type}${on}` : 'not a check';
      const field = rest.length > 0 ? `${rest.join('.')}: ` : '';
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      return `check ${index + 1} (${label}): ${field}${issue.message}${keys}`;
    })
    .join('; ');
}
