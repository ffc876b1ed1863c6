import { CoreError } from '../errors.ts';
import type { DbtConfig } from './config.ts';
import type { TestEntry } from './properties.ts';

/** The generic tests dbt ships, the ones `strata dbt build` runs. */
export const GENERIC_TESTS = ['unique', 'not_null', 'accepted_values', 'relationships'] as const;
export type GenericTestType = (typeof GENERIC_TESTS)[number];

/** Keys of a test entry that configure the test rather than being its arguments. */
const CONFIG_ARGS = new Set([
  'severity', 'tags', 'enabled', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'store_failures',
  'store_failures_as', 'meta', 'database', 'schema', 'alias',
]);

/** A generic test applied to a column (or a whole node), before its SQL is built. */
export interface GenericTestSpec {
  readonly type: GenericTestType;
  /** dbt's name for it, e.g. `not_null_orders_order_id`. */
  readonly name: string;
  readonly column?: string;
  /** Arguments: `values`, `quote`, `to`, `field`… */
  readonly args: Readonly<Record<string, unknown>>;
  readonly config: DbtConfig;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads one `tests:` entry of a column or node. Accepts `unique`, `{ accepted_values: { values,
 * quote, severity… } }`, the newer `{ accepted_values: { arguments: {…}, config: {…} } }`, a custom
 * `name:`, and `{ test_name: …, … }`. `target` is the node name as dbt puts it in test names
 * (`orders`, or `<source>_<table>` for a source table).
 */
export function parseTestEntry(entry: TestEntry, where: { file: string; target: string; source: boolean; column?: string }): GenericTestSpec {
  let type: string;
  let body: Record<string, unknown>;
  if (typeof entry === 'string') {
    type = entry;
    body = {};
  } else if (typeof entry.test_name === 'string') {
    const { test_name, ...rest } = entry;
    type = test_name as string;
    body = rest;
  } else {
    const keys = Object.keys(entry);
    if (keys.length !== 1) {
      throw new CoreError('CORE_INVALID_DEFINITION', `${where.file}: a test is a name or a mapping with one key (the test's name), got ${JSON.stringify(entry)}`);
    }
    type = keys[0] as string;
    const value = entry[type];
    if (value !== null && value !== undefined && !isObject(value)) {
      throw new CoreError('CORE_INVALID_DEFINITION', `${where.file}: the arguments of test ${type} must be a mapping`);
    }
    body = value ?? {};
  }
  if (!(GENERIC_TESTS as readonly string[]).includes(type)) {
    throw new CoreError(
      'CORE_INVALID_DEFINITION',
      `${where.file}: test ${type}${where.column ? ` on column ${where.column}` : ''} of ${where.target} is not supported; strata dbt build runs ${GENERIC_TESTS.join(', ')} and singular tests`,
    );
  }
  const { arguments: nestedArgs, config: nestedConfig, name: customName, column_name, ...flat } = body;
  const args: Record<string, unknown> = { ...(isObject(nestedArgs) ? nestedArgs : {}) };
  const config: DbtConfig = {};
  for (const [k, v] of Object.entries(flat)) (CONFIG_ARGS.has(k) ? config : args)[k] = v;
  Object.assign(config, isObject(nestedConfig) ? nestedConfig : {});
  const column = typeof column_name === 'string' ? column_name : typeof args.column_name === 'string' ? args.column_name : where.column;
  delete args.column_name;
  if (!column) throw new CoreError('CORE_INVALID_DEFINITION', `${where.file}: test ${type} of ${where.target} needs a column (put it under columns:, or give column_name)`);
  if (type === 'accepted_values' && !Array.isArray(args.values)) {
    throw new CoreError('CORE_INVALID_DEFINITION', `${where.file}: accepted_values on ${where.target}.${column} needs a values: list`);
  }
  if (type === 'relationships' && (typeof args.to !== 'string' || typeof args.field !== 'string')) {
    throw new CoreError('CORE_INVALID_DEFINITION', `${where.file}: relationships on ${where.target}.${column} needs to: (e.g. ref('customers')) and field:`);
  }
  const name = typeof customName === 'string' ? customName : testName(type, where.target, where.source, { column_name: column, ...args });
  return { type: type as GenericTestType, name, column, args, config };
}

/**
 * dbt's name for a generic test: `<type>_<target>_<arg values…>` with the argument values in
 * argument-name order, joined by `__`, each with runs of characters other than [0-9a-zA-Z_]
 * replaced by `_` (`relationships_orders_customer_id__customer_id__ref_customers_`). Tests on
 * source tables start with `source_`.
 */
export function testName(type: string, target: string, source: boolean, args: Readonly<Record<string, unknown>>): string {
  const parts = Object.keys(args)
    .sort()
    .flatMap((k) => {
      const v = args[k];
      return isObject(v) ? Object.values(v) : Array.isArray(v) ? v : [v];
    })
    .map((p) => pyStr(p).replace(/[^0-9a-zA-Z_]+/g, '_'));
  return `${source ? 'source_' : ''}${type}_${target}_${parts.join('__')}`;
}

/** How Python prints a scalar inside dbt's name synthesis (True, None…). */
function pyStr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return String(v);
}

const lit = (v: unknown) => `'${String(v).replaceAll("'", "''")}'`;

/**
 * The query returning a generic test's failing rows, over `relation` (already narrowed by the
 * test's `where`). `to` is the rendered relation of a relationships test.
 */
export function genericTestSql(spec: GenericTestSpec, relation: string, to?: string): string {
  const c = spec.column as string;
  switch (spec.type) {
    case 'not_null':
      return `select ${c} from ${relation} where ${c} is null`;
    case 'unique':
      return `select ${c} as unique_field, count(*) as n_records from ${relation} where ${c} is not null group by ${c} having count(*) > 1`;
    case 'accepted_values': {
      const quote = spec.args.quote !== false;
      const values = (spec.args.values as unknown[]).map((v) => (quote ? lit(v) : String(v))).join(', ');
      return `with all_values as (select ${c} as value_field, count(*) as n_records from ${relation} group by ${c}) select * from all_values where value_field not in (${values})`;
    }
    case 'relationships':
      return (
        `with child as (select ${c} as from_field from ${relation} where ${c} is not null), ` +
        `parent as (select ${String(spec.args.field)} as to_field from ${to}) ` +
        'select from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null'
      );
  }
}
