/** A dbt node configuration (materialized, unique_key, tags…), as written: keys without `+`. */
export type DbtConfig = Record<string, unknown>;

/**
 * Keys that are configurations when written without `+` in dbt_project.yml; any other key names
 * a folder, a node or a package. With `+`, every key is a configuration.
 */
const CONFIG_KEYS = new Set([
  'enabled', 'materialized', 'tags', 'meta', 'schema', 'database', 'alias', 'unique_key', 'incremental_strategy',
  'on_schema_change', 'full_refresh', 'persist_docs', 'column_types', 'quote_columns', 'delimiter', 'pre-hook',
  'post-hook', 'docs', 'grants', 'contract', 'sql_header', 'severity', 'where', 'limit', 'error_if', 'warn_if',
  'store_failures', 'store_failures_as', 'fail_calc', 'strata_layer', 'group', 'access', 'packages',
]);

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/**
 * Overlays `over` on `base` as dbt does: `tags` accumulate, `meta` merges key by key, every other
 * key is replaced.
 */
export function mergeConfig(base: DbtConfig, over: DbtConfig): DbtConfig {
  const out: DbtConfig = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === 'tags') out.tags = [...new Set([...asList(base.tags), ...asList(v)].map(String))];
    else if (k === 'meta' && isObject(base.meta) && isObject(v)) out.meta = { ...base.meta, ...v };
    else out[k] = v;
  }
  return out;
}

function configsAt(level: Record<string, unknown>): DbtConfig {
  const out: DbtConfig = {};
  for (const [k, v] of Object.entries(level)) {
    if (k.startsWith('+')) out[k.slice(1)] = v;
    else if (CONFIG_KEYS.has(k)) out[k] = v;
  }
  return out;
}

/**
 * The configuration a `models:`/`seeds:`/`data_tests:` block of dbt_project.yml gives a node
 * whose fully qualified name is `fqn` (`[project, ...folders, name]`): the configurations on the
 * path from the top of the block down to the node, deeper ones winning.
 */
export function configFromTree(tree: unknown, fqn: readonly string[]): DbtConfig {
  if (!isObject(tree)) return {};
  let config = configsAt(tree);
  let level: unknown = tree;
  for (const part of fqn) {
    level = isObject(level) ? level[part] : undefined;
    if (!isObject(level)) break;
    config = mergeConfig(config, configsAt(level));
  }
  return config;
}
