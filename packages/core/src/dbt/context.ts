import { CoreError } from '../errors.ts';
import type { DbtConfig } from './config.ts';
import { MacroReturn } from './jinja.ts';
import type { Relation } from './relation.ts';

/** How names in a model resolve: refs and sources to Strata assets, vars to values. */
export interface Resolver {
  /** The relation of a model, seed or snapshot by name; throws a CoreError naming it when unknown. */
  ref(name: string, pkg?: string): Relation;
  source(sourceName: string, tableName: string): Relation;
  /** `var(name)`: undefined when not set. */
  variable(name: string): unknown;
}

/** What one render of a node sees and what it reports. */
export interface RenderScope {
  readonly projectName: string;
  readonly resolver: Resolver;
  /** The node's own relation (`{{ this }}`). */
  readonly self: Relation;
  /** false in the first pass (collecting refs and config), true when the SQL is built to run. */
  readonly execute: boolean;
  /** What `is_incremental()` answers. */
  readonly incremental: boolean;
  readonly fullRefresh: boolean;
  readonly runId: string;
  readonly runStartedAt: Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The node's configuration as known so far (`config.get`). */
  readonly config: DbtConfig;
  /** Macros of the project, bound to this scope (for `adapter.dispatch`). */
  macros: Readonly<Record<string, unknown>>;
  onRef?(relation: Relation): void;
  onConfig?(config: DbtConfig): void;
}

/** Keyword arguments arrive from nunjucks as a last object flagged `__keywords`. */
function splitKeywords(args: readonly unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args.at(-1);
  if (last && typeof last === 'object' && (last as Record<string, unknown>).__keywords === true) {
    const { __keywords: _, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: [...args], keywords: {} };
}

const unsupported = (name: string) => () => {
  throw new CoreError('CORE_INVALID_DEFINITION', `${name} is not supported by strata dbt build (models are rendered before they run, without a database connection)`);
};

/** The dbt Jinja context of one render: ref, source, config, var, this, is_incremental and friends. */
export function dbtContext(scope: RenderScope): Record<string, unknown> {
  const ref = (...args: unknown[]) => {
    const { positional } = splitKeywords(args);
    const [a, b] = positional.map(String);
    const relation = b === undefined ? scope.resolver.ref(a ?? '') : scope.resolver.ref(b, a);
    scope.onRef?.(relation);
    return relation;
  };
  const source = (...args: unknown[]) => {
    const [sourceName, tableName] = splitKeywords(args).positional.map(String);
    const relation = scope.resolver.source(sourceName ?? '', tableName ?? '');
    scope.onRef?.(relation);
    return relation;
  };
  const config = (...args: unknown[]) => {
    const { positional, keywords } = splitKeywords(args);
    const merged: DbtConfig = {};
    for (const p of positional) if (p && typeof p === 'object') Object.assign(merged, p);
    scope.onConfig?.({ ...merged, ...keywords });
    return '';
  };
  const variable = (...args: unknown[]) => {
    const { positional } = splitKeywords(args);
    const name = String(positional[0]);
    const value = scope.resolver.variable(name);
    if (value !== undefined) return value;
    if (positional.length > 1) return positional[1];
    throw new CoreError('CORE_INVALID_DEFINITION', `required var '${name}' is not set (set it under vars: in dbt_project.yml or with --vars)`);
  };
  const envVar = (...args: unknown[]) => {
    const { positional } = splitKeywords(args);
    const name = String(positional[0]);
    const value = scope.env[name];
    if (value !== undefined) return value;
    if (positional.length > 1) return positional[1];
    throw new CoreError('CORE_INVALID_DEFINITION', `env_var('${name}'): the environment variable is not set and no default is given`);
  };
  const dispatch = (...args: unknown[]) => {
    const name = String(splitKeywords(args).positional[0]);
    for (const candidate of [`duckdb__${name}`, `default__${name}`, name]) {
      const macro = scope.macros[candidate];
      if (typeof macro === 'function') return macro;
    }
    throw new CoreError('CORE_INVALID_DEFINITION', `adapter.dispatch('${name}'): no macro duckdb__${name} or default__${name} in the project`);
  };
  return {
    ref,
    source,
    config: Object.assign(config, {
      get: (key: string, fallback?: unknown) => scope.config[key] ?? fallback,
      require: unsupported('config.require'),
    }),
    var: variable,
    env_var: envVar,
    this: scope.self,
    is_incremental: () => scope.incremental,
    should_full_refresh: () => scope.fullRefresh,
    execute: scope.execute,
    flags: { FULL_REFRESH: scope.fullRefresh },
    project_name: scope.projectName,
    invocation_id: scope.runId,
    run_started_at: scope.runStartedAt.toISOString().replace('T', ' ').replace('Z', '+00:00'),
    target: { name: 'dev', type: 'duckdb', database: scope.self.database, schema: scope.self.schema, profile_name: scope.projectName, threads: 1 },
    adapter: { quote: (s: unknown) => `"${String(s).replaceAll('"', '""')}"`, dispatch, get_relation: unsupported('adapter.get_relation'), get_columns_in_relation: unsupported('adapter.get_columns_in_relation') },
    exceptions: {
      raise_compiler_error: (message: unknown) => {
        throw new CoreError('CORE_INVALID_DEFINITION', String(message));
      },
      warn: () => '',
    },
    log: () => '',
    print: () => '',
    return: (value: unknown) => {
      throw new MacroReturn(value);
    },
    dict: (...args: unknown[]) => {
      const { positional, keywords } = splitKeywords(args);
      return Object.assign({}, ...positional.filter((p) => p && typeof p === 'object'), keywords) as Record<string, unknown>;
    },
    zip: (...lists: unknown[][]) => (lists[0] ?? []).map((_, i) => lists.map((l) => l[i])),
    run_query: unsupported('run_query'),
    load_result: unsupported('load_result'),
  };
}
