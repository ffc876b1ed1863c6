import { CoreError } from '../errors.ts';
import type { DbtConfig } from './config.ts';
import { configFromTree, mergeConfig } from './config.ts';
import type { Resolver } from './context.ts';
import type { ProjectFileEntry } from './discover.ts';
import type { GenericTestSpec, GenericTestType } from './generic-tests.ts';
import { genericTestSql, parseTestEntry } from './generic-tests.ts';
import type { DbtNode, DbtRenderer } from './load.ts';
import type { Properties, TestEntry } from './properties.ts';
import { testsOf } from './properties.ts';
import { Relation } from './relation.ts';

/** A dbt data test, ready to run: a query whose rows are failures. */
export interface DbtTest {
  /** dbt's name: `not_null_orders_order_id`, or the file name of a singular test. */
  readonly name: string;
  readonly kind: 'generic' | 'singular';
  readonly type?: GenericTestType;
  readonly column?: string;
  /** The asset the test checks; its result is recorded under it. */
  readonly assetKey: string;
  /** Every asset the test reads; it runs after all of them. */
  readonly deps: readonly string[];
  /** The query returning the failing rows. */
  readonly sql: string;
  readonly severity: 'error' | 'warn';
  /** Conditions on the failure count, as SQL (`!= 0`, `> 10`). */
  readonly warnIf: string;
  readonly errorIf: string;
  /** Where the test is declared. */
  readonly file: string;
}

interface Input {
  readonly project: DbtRenderer['project'];
  readonly domain: string;
  readonly properties: Properties;
  readonly testFiles: readonly ProjectFileEntry[];
  readonly renderer: DbtRenderer;
  readonly resolver: Resolver;
  /** Model and seed names → asset keys (enabled nodes only). */
  readonly keys: ReadonlyMap<string, string>;
  readonly nodes: ReadonlyMap<string, DbtNode>;
}

interface Target {
  readonly key: string;
  /** The node as dbt puts it in test names: `orders`, or `<source>_<table>`. */
  readonly name: string;
  readonly source: boolean;
  readonly file: string;
  readonly nodeTests: readonly TestEntry[];
  readonly columns: readonly { name: string; quote?: boolean | null; tests?: TestEntry[] | null; data_tests?: TestEntry[] | null }[];
}

/** The generic tests of the properties files and the singular tests of the test paths. */
export function collectTests(input: Input): DbtTest[] {
  const tests: DbtTest[] = [];
  for (const target of targets(input)) {
    const folders = target.file.split('/').slice(1, -1);
    const add = (entry: TestEntry, column?: string) => {
      const spec = parseTestEntry(entry, { file: target.file, target: target.name, source: target.source, column });
      const config = mergeConfig(configFromTree(input.project.tests, [input.project.name, ...folders, spec.name]), spec.config);
      if (config.enabled !== false) tests.push(genericTest(spec, config, target, input));
    };
    for (const entry of target.nodeTests) add(entry);
    for (const c of target.columns) for (const entry of testsOf(c)) add(entry, c.quote ? `"${c.name.replaceAll('"', '""')}"` : c.name);
  }
  for (const file of input.testFiles) {
    const test = singularTest(file, input);
    if (test) tests.push(test);
  }
  const seen = new Map<string, string>();
  for (const t of tests) {
    const other = seen.get(t.name);
    if (other !== undefined) throw new CoreError('CORE_INVALID_DEFINITION', `two tests are named ${t.name} (${other} and ${t.file}); give one a name:`);
    seen.set(t.name, t.file);
  }
  return tests;
}

function targets(input: Input): Target[] {
  const out: Target[] = [];
  const nodeTarget = (kind: 'model' | 'seed') => {
    for (const [name, props] of kind === 'model' ? input.properties.models : input.properties.seeds) {
      const key = input.keys.get(name);
      if (!key || input.nodes.get(key)?.resourceType !== kind) continue;
      out.push({ key, name, source: false, file: props.file, nodeTests: testsOf(props), columns: props.columns ?? [] });
    }
  };
  nodeTarget('model');
  nodeTarget('seed');
  for (const s of input.properties.sources) {
    for (const t of s.tables ?? []) {
      const key = input.resolver.source(s.name, t.name).key;
      out.push({ key, name: `${s.name}_${t.name}`, source: true, file: s.file, nodeTests: testsOf(t), columns: t.columns ?? [] });
    }
  }
  return out;
}

function severityOf(config: DbtConfig, where: string): 'error' | 'warn' {
  const s = String(config.severity ?? 'error').toLowerCase();
  if (s !== 'error' && s !== 'warn') throw new CoreError('CORE_INVALID_DEFINITION', `${where}: severity must be error or warn, not ${String(config.severity)}`);
  return s;
}

/** The failing-rows query with the test's `limit`. */
function limited(sql: string, config: DbtConfig): string {
  return config.limit === undefined || config.limit === null ? sql : `${sql} limit ${Number(config.limit)}`;
}

function genericTest(spec: GenericTestSpec, config: DbtConfig, target: Target, input: Input): DbtTest {
  const relation = new Relation(target.key).toString();
  const narrowed = typeof config.where === 'string' ? `(select * from ${relation} where ${config.where}) dbt_subquery` : relation;
  const deps = [target.key];
  let to: string | undefined;
  if (spec.type === 'relationships') {
    const expression = String(spec.args.to);
    const file = { path: target.file, absolutePath: target.file, folders: [], name: spec.name, text: `{{ ${expression} }}` };
    to = input.renderer.render(input.renderer.compile(file), file, {
      resolver: input.resolver,
      self: new Relation(target.key),
      execute: true,
      incremental: false,
      runId: 'parse',
      runStartedAt: new Date(),
      config,
      onRef: (r) => deps.push(r.key),
    });
  }
  return {
    name: spec.name,
    kind: 'generic',
    type: spec.type,
    column: spec.column,
    assetKey: target.key,
    deps: [...new Set(deps)],
    sql: limited(genericTestSql(spec, narrowed, to), config),
    severity: severityOf(config, `${target.file}: test ${spec.name}`),
    warnIf: String(config.warn_if ?? '!= 0'),
    errorIf: String(config.error_if ?? '!= 0'),
    file: target.file,
  };
}

/** A `.sql` file of the test paths: a query returning failing rows, reading models through ref(). */
function singularTest(file: ProjectFileEntry, input: Input): DbtTest | undefined {
  const deps: string[] = [];
  let config = configFromTree(input.project.tests, [input.project.name, ...file.folders, file.name]);
  const base = config;
  const sql = input.renderer
    .render(input.renderer.compile(file), file, {
      resolver: input.resolver,
      self: new Relation(`${input.domain}.gold.${file.name}`),
      execute: true,
      incremental: false,
      runId: 'parse',
      runStartedAt: new Date(),
      config: base,
      onRef: (r) => deps.push(r.key),
      onConfig: (c) => (config = mergeConfig(config, c)),
    })
    .trim()
    .replace(/;\s*$/, '');
  if (config.enabled === false) return undefined;
  const assetKey = deps[0];
  if (assetKey === undefined) throw new CoreError('CORE_INVALID_DEFINITION', `${file.path}: a singular test must read a model, seed or source through ref() or source()`);
  return {
    name: file.name,
    kind: 'singular',
    assetKey,
    deps: [...new Set(deps)],
    sql: limited(sql, config),
    severity: severityOf(config, file.path),
    warnIf: String(config.warn_if ?? '!= 0'),
    errorIf: String(config.error_if ?? '!= 0'),
    file: file.path,
  };
}
