import type nunjucks from 'nunjucks';
import type { AssetContext, ResolvedAsset } from '../definitions/asset.ts';
import { DEFAULT_LAYERS } from '../definitions/asset-key.ts';
import type { Materialization } from '../definitions/materialization.ts';
import { CoreError } from '../errors.ts';
import { AssetGraph } from '../graph/asset-graph.ts';
import type { DbtConfig } from './config.ts';
import { configFromTree, mergeConfig } from './config.ts';
import type { RenderScope, Resolver } from './context.ts';
import { dbtContext } from './context.ts';
import type { ProjectFileEntry } from './discover.ts';
import { discoverFiles } from './discover.ts';
import { compileTemplate, dbtJinjaEnvironment, renderTemplate } from './jinja.ts';
import { modelLayer, projectDomain } from './layers.ts';
import { MacroLibrary } from './macros.ts';
import { modelMaterialization } from './materialization.ts';
import type { DbtProjectFile } from './project-file.ts';
import { projectVariable, readDbtProjectFile } from './project-file.ts';
import type { NodeProperties } from './properties.ts';
import { parseDocBlocks, parseProperties, renderDescription } from './properties.ts';
import { Relation } from './relation.ts';
import { seedCompute } from './seeds.ts';
import { sourceAssets, sourceKey } from './sources.ts';
import type { DbtTest } from './tests.ts';
import { collectTests } from './tests.ts';

export interface DbtLoadOptions {
  /** `--vars`: values of `var()` that win over dbt_project.yml. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Rebuild incremental models from scratch (`is_incremental()` is false). */
  readonly fullRefresh?: boolean;
  /** What `env_var()` reads (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type DbtResourceType = 'seed' | 'model' | 'source';

/** A dbt node as a Strata asset. */
export interface DbtNode {
  readonly key: string;
  readonly resourceType: DbtResourceType;
  /** dbt's name: the model or seed name, `source.table` for a source table. */
  readonly name: string;
  /** Project-relative file (models and seeds; the properties file of a source). */
  readonly file: string;
  /** table, view, incremental, ephemeral for models; seed; source. */
  readonly materialized: string;
}

/** A dbt project mapped onto Strata: one domain, seeds and sources in bronze, models in silver and gold. */
export interface DbtProject {
  readonly dir: string;
  readonly name: string;
  readonly domain: string;
  /** Seeds, sources and models as assets, with dependencies from ref() and source(). */
  readonly graph: AssetGraph;
  /** The nodes by asset key. */
  readonly nodes: ReadonlyMap<string, DbtNode>;
  readonly tests: readonly DbtTest[];
}

interface ModelDraft {
  readonly file: ProjectFileEntry;
  readonly template: nunjucks.Template;
  readonly config: DbtConfig;
  readonly refs: readonly { name: string; pkg?: string }[];
  readonly sources: readonly { source: string; table: string }[];
}

/** What every render shares: the Jinja environment, the macros, vars and the node keys. */
export class DbtRenderer {
  constructor(
    readonly project: DbtProjectFile,
    private readonly env: nunjucks.Environment,
    private readonly macros: MacroLibrary,
    private readonly options: DbtLoadOptions,
  ) {}

  compile(file: ProjectFileEntry): nunjucks.Template {
    return compileTemplate(this.env, file.text, file.path);
  }

  /** Renders a node's template in a scope; context functions see the node and report refs and config. */
  render(template: nunjucks.Template, file: ProjectFileEntry, scope: Omit<RenderScope, 'macros' | 'projectName' | 'env' | 'fullRefresh'>): string {
    const full: RenderScope = { ...scope, projectName: this.project.name, env: this.options.env ?? process.env, fullRefresh: this.options.fullRefresh ?? false, macros: {} };
    const context = dbtContext(full);
    full.macros = this.macros.exported(context);
    return renderTemplate(template, { ...context, ...full.macros }, file.path, file.text);
  }

  variable(name: string): unknown {
    return projectVariable(this.project, this.options.vars ?? {}, name);
  }
}

const isIdentifier = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Reads a dbt project folder: dbt_project.yml, models, seeds, properties files (sources, columns,
 * tests), macros and singular tests. Models are rendered a first time (`execute` false) to learn
 * their `ref()`s, `source()`s and `config()`; their SQL is rendered again when they run.
 */
export async function loadDbtProject(dir: string, options: DbtLoadOptions = {}): Promise<DbtProject> {
  const project = await readDbtProjectFile(dir);
  const domain = projectDomain(project.name);
  const env = dbtJinjaEnvironment();
  const [modelFiles, seedFiles, yamlFiles, docFiles, macroFiles, testFiles] = await Promise.all([
    discoverFiles(dir, project.modelPaths, ['.sql']),
    discoverFiles(dir, project.seedPaths, ['.csv']),
    discoverFiles(dir, [...project.modelPaths, ...project.seedPaths], ['.yml', '.yaml']),
    discoverFiles(dir, project.modelPaths, ['.md']),
    discoverFiles(dir, project.macroPaths, ['.sql']),
    discoverFiles(dir, project.testPaths, ['.sql'], ['generic']),
  ]);
  const renderer = new DbtRenderer(project, env, MacroLibrary.compile(env, macroFiles), options);
  const properties = parseProperties(yamlFiles.map((f) => ({ file: f.path, text: f.text })));
  const docs = parseDocBlocks(docFiles.map((f) => f.text));

  const names = new Map<string, string>();
  for (const f of [...seedFiles, ...modelFiles]) {
    if (!isIdentifier(f.name)) throw new CoreError('CORE_INVALID_DEFINITION', `${f.path}: the name ${f.name} must be an SQL identifier (letters, digits, _) to become a Strata table`);
    const other = names.get(f.name);
    if (other) throw new CoreError('CORE_INVALID_DEFINITION', `dbt found two resources named ${f.name}: ${other} and ${f.path}`);
    names.set(f.name, f.path);
  }

  // First pass: every model's refs, sources and in-file config, with placeholder relations.
  const placeholder: Resolver = {
    ref: (name, pkg) => {
      if (pkg !== undefined && pkg !== project.name) throw new CoreError('CORE_INVALID_DEFINITION', `ref('${pkg}', '${name}'): packages are not supported`);
      if (!names.has(name)) throw new CoreError('CORE_MISSING_DEPENDENCY', `ref('${name}'): no model or seed named ${name}`);
      return new Relation(`${domain}.bronze.${name}`);
    },
    source: (s, t) => new Relation(sourceKey(properties, domain, s, t)),
    variable: (n) => renderer.variable(n),
  };
  const drafts: ModelDraft[] = [];
  for (const file of modelFiles) {
    const template = renderer.compile(file);
    const base = mergeConfig(configFromTree(project.models, [project.name, ...file.folders, file.name]), properties.models.get(file.name)?.config ?? {});
    let config = base;
    const refs: { name: string; pkg?: string }[] = [];
    const sources: { source: string; table: string }[] = [];
    renderer.render(template, file, {
      resolver: {
        ref: (name, pkg) => {
          refs.push({ name, pkg });
          return placeholder.ref(name, pkg);
        },
        source: (s, t) => {
          sources.push({ source: s, table: t });
          return placeholder.source(s, t);
        },
        variable: placeholder.variable,
      },
      self: new Relation(`${domain}.gold.${file.name}`),
      execute: false,
      incremental: false,
      runId: 'parse',
      runStartedAt: new Date(),
      config: base,
      onConfig: (c) => (config = mergeConfig(config, c)),
    });
    if (config.enabled !== false) drafts.push({ file, template, config, refs, sources });
  }

  // Keys: seeds and sources in bronze, models in their layer, each under its alias.
  const keys = new Map<string, string>();
  const nodes = new Map<string, DbtNode>();
  const seedConfigs = new Map<string, DbtConfig>();
  const addNode = (name: string, node: DbtNode) => {
    const other = nodes.get(node.key);
    if (other) throw new CoreError('CORE_INVALID_DEFINITION', `${node.file} and ${other.file} would both be the table ${node.key}`);
    keys.set(name, node.key);
    nodes.set(node.key, node);
  };
  for (const file of seedFiles) {
    const config = mergeConfig(configFromTree(project.seeds, [project.name, ...file.folders, file.name]), properties.seeds.get(file.name)?.config ?? {});
    if (config.enabled === false) continue;
    seedConfigs.set(file.name, config);
    addNode(file.name, { key: `${domain}.bronze.${alias(config, file)}`, resourceType: 'seed', name: file.name, file: file.path, materialized: 'seed' });
  }
  for (const d of drafts) {
    const layer = modelLayer(d.file.name, d.file.folders, d.config.strata_layer, d.file.path);
    const materialized = String(d.config.materialized ?? 'view');
    addNode(d.file.name, { key: `${domain}.${layer}.${alias(d.config, d.file)}`, resourceType: 'model', name: d.file.name, file: d.file.path, materialized });
  }
  const resolver: Resolver = {
    ref: (name, pkg) => {
      placeholder.ref(name, pkg);
      const key = keys.get(name);
      if (!key) throw new CoreError('CORE_MISSING_DEPENDENCY', `ref('${name}'): ${name} is disabled`);
      return new Relation(key);
    },
    source: (s, t) => new Relation(sourceKey(properties, domain, s, t)),
    variable: placeholder.variable,
  };

  const assets: ResolvedAsset[] = [];
  for (const file of seedFiles) {
    const config = seedConfigs.get(file.name);
    const key = keys.get(file.name);
    if (!config || !key) continue;
    const props = properties.seeds.get(file.name);
    assets.push(dbtAsset(key, 'dbt_seed', file.path, { kind: 'table' }, config, props, docs, [], seedCompute(file.absolutePath, config, file.path)));
  }
  for (const source of sourceAssets(properties, domain, nodes)) {
    assets.push(source.asset);
    nodes.set(source.asset.key, source.node);
  }
  for (const d of drafts) {
    const key = keys.get(d.file.name) as string;
    const deps = [...d.refs.map((r) => resolver.ref(r.name, r.pkg).key), ...d.sources.map((s) => resolver.source(s.source, s.table).key)];
    const materialization = modelMaterialization(d.config, d.file.path, options.fullRefresh ?? false);
    const incremental = materialization.kind === 'incremental';
    const known = new Set(deps);
    const compute = async (ctx: AssetContext) => {
      const sql = renderer.render(d.template, d.file, {
        resolver,
        self: new Relation(key),
        execute: true,
        incremental: incremental && (await viewExists(ctx, key)),
        runId: ctx.runId,
        runStartedAt: new Date(),
        config: d.config,
        onRef: (r) => {
          if (known.has(r.key) || r.key === key) return;
          throw new CoreError(
            'CORE_INVALID_DEFINITION',
            `${d.file.path}: ${r.key} is read only when the model runs (inside {% if execute %}?), so it is not a known dependency; add a line -- depends_on: {{ ref('${r.name}') }}`,
          );
        },
      });
      // A trailing comment must not swallow what Strata puts after the query.
      return `${sql.trim().replace(/;$/, '')}\n`;
    };
    assets.push(dbtAsset(key, 'dbt_model', d.file.path, materialization, d.config, properties.models.get(d.file.name), docs, deps, compute));
  }

  const graph = AssetGraph.build(assets, { layers: [...DEFAULT_LAYERS], forbidGoldFromBronze: false });
  const tests = collectTests({ project, domain, properties, testFiles, renderer, resolver, keys, nodes });
  return { dir, name: project.name, domain, graph, nodes, tests };
}

function alias(config: DbtConfig, file: ProjectFileEntry): string {
  if (config.alias === undefined) return file.name;
  if (typeof config.alias !== 'string' || !isIdentifier(config.alias)) {
    throw new CoreError('CORE_INVALID_DEFINITION', `${file.path}: alias must be an SQL identifier, not ${JSON.stringify(config.alias)}`);
  }
  return config.alias;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function dbtAsset(
  key: string,
  kind: string,
  file: string,
  materialization: Materialization,
  config: DbtConfig,
  props: NodeProperties | undefined,
  docs: ReadonlyMap<string, string>,
  deps: readonly string[],
  compute: ResolvedAsset['compute'],
): ResolvedAsset {
  const [domain, layer, name] = key.split('.') as [string, string, string];
  const meta = config.meta && typeof config.meta === 'object' ? (config.meta as Record<string, unknown>) : {};
  return {
    key,
    domain,
    layer,
    name,
    deps: [...new Set(deps)].filter((d) => d !== key).sort(),
    description: renderDescription(props?.description, docs),
    materialization,
    partitionBy: [],
    tags: list(config.tags),
    metadata: { ...meta, dbt_file: file, dbt_materialized: String(config.materialized ?? (kind === 'dbt_seed' ? 'seed' : 'view')) },
    retry: { maxRetries: 0 },
    checks: [],
    casts: {},
    metrics: true,
    monitors: [],
    kind,
    source: file,
    compute,
  };
}

/** Whether the asset's view exists in the step's session: its table was materialized before. */
async function viewExists(ctx: AssetContext, key: string): Promise<boolean> {
  const [domain, layer, name] = key.split('.') as [string, string, string];
  const rows = await ctx.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE database_name = ${lit(domain)} AND schema_name = ${lit(layer)} AND view_name = ${lit(name)}`,
  );
  return (rows[0]?.n ?? 0) > 0;
}
