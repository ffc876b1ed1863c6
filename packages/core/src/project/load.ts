import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine } from '@strata/delta';
import { ComponentRegistry } from '../components/registry.ts';
import type { ComponentDefinition } from '../components/component.ts';
import type { AssetDefinition, ResolvedAsset } from '../definitions/asset.ts';
import { contractChecks, loadContract } from '@strata/quality';
import type { CheckDefinition, Contract } from '@strata/quality';
import { CoreError } from '../errors.ts';
import { AssetGraph } from '../graph/asset-graph.ts';
import type { ProjectConfig } from './config.ts';
import { loadProjectConfig, projectLayers } from './config.ts';
import { resolveAsset } from './resolve-asset.ts';
import type { TableRef } from './sql-model.ts';
import { splitHeader, sqlModelAsset, tablesReadMany } from './sql-model.ts';

/** A loaded project: its configuration, its assets and their validated graph. */
export interface LoadedProject {
  readonly dir: string;
  readonly config: ProjectConfig;
  readonly graph: AssetGraph;
}

export interface LoadOptions {
  /** Components available besides the built-in ones and those strata.yaml lists (e.g. the connectors'). */
  readonly components?: readonly ComponentDefinition[];
}

/**
 * Loads a project folder: `strata.yaml`, then assets under `domains/<domain>/` and `assets/`
 * (the default domain). `<layer>/<name>.sql` files are SQL models (configured by a leading YAML
 * comment or a sibling `<name>.yaml`); `.ts` files export asset definitions (`defineAsset`).
 */
export async function loadProject(dir: string, engine: Engine, options: LoadOptions = {}): Promise<LoadedProject> {
  const config = await loadProjectConfig(dir);
  const layers = projectLayers(config);
  const defaultDomain = config.defaultDomain ?? config.name.replaceAll('-', '_');
  const roots: { path: string; domain: string }[] = [];
  const domainsDir = join(dir, 'domains');
  if (existsSync(domainsDir)) {
    for (const d of await readdir(domainsDir, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      if (layers.includes(d.name)) {
        throw new CoreError('CORE_INVALID_DEFINITION', `${join(domainsDir, d.name)}: a domain may not be named like a layer`);
      }
      roots.push({ path: join(domainsDir, d.name), domain: d.name });
    }
  }
  if (existsSync(join(dir, 'assets'))) roots.push({ path: join(dir, 'assets'), domain: defaultDomain });
  const components = new ComponentRegistry();
  for (const c of options.components ?? []) components.register(c);
  await components.load(config.components, dir);
  const assets: ResolvedAsset[] = [];
  const models: { root: { path: string; domain: string }; file: string; text: string }[] = [];
  const modules: { root: { path: string; domain: string }; file: string }[] = [];
  const contracts: { domain: string; file: string }[] = [];
  for (const root of roots) {
    for (const file of await listFiles(root.path)) {
      const ext = extname(file);
      if (/\.contract\.ya?ml$/.test(file)) contracts.push({ domain: root.domain, file });
      else if (ext === '.sql') models.push({ root, file, text: readFileSync(file, 'utf8') });
      else if (ext === '.ts' && !file.endsWith('.test.ts') && !file.endsWith('.d.ts')) modules.push({ root, file });
      else if ((ext === '.yaml' || ext === '.yml') && !existsSync(file.replace(/\.ya?ml$/, '.sql'))) {
        const layer = relative(root.path, file).split(sep)[0] as string;
        if (!layers.includes(layer)) {
          throw new CoreError('CORE_INVALID_DEFINITION', `${file}: put component files in a layer folder (${layers.map((l) => `${l}/`).join(', ')})`);
        }
        const name = basename(file, ext);
        assets.push(...(await components.buildFile(file, { domain: root.domain, layer, name, layers, projectDir: dir, engine })));
      }
    }
  }
  // Modules are imported all at once: the loader (and tsx's transform) then works without waiting on each file.
  for (const loaded of await Promise.all(modules.map((m) => loadTsAssets(m.root, m.file)))) assets.push(...loaded);
  // All models are parsed by DuckDB in one call: one call per model dominates large projects.
  const parsed = await tablesReadMany(engine, models.map((m) => ({ sql: splitHeader(m.text).sql, file: m.file })));
  for (const [i, m] of models.entries()) assets.push(await loadSqlModel(engine, m.root, m.file, m.text, layers, parsed[i]));
  const graph = AssetGraph.build(await attachContracts(assets, contracts), { layers, forbidGoldFromBronze: !config.layers.allowGoldFromBronze });
  return { dir, config, graph };
}

async function loadSqlModel(
  engine: Engine,
  root: { path: string; domain: string },
  file: string,
  text: string,
  layers: readonly string[],
  parsed?: readonly TableRef[],
): Promise<ResolvedAsset> {
  const parts = relative(root.path, file).split(sep);
  const layer = parts.length >= 2 ? (parts[0] as string) : '';
  if (!layers.includes(layer)) {
    throw new CoreError('CORE_INVALID_DEFINITION', `${file}: put SQL models in a layer folder (${layers.map((l) => `${l}/`).join(', ')})`);
  }
  const name = basename(file, '.sql');
  const sidecar = file.replace(/\.sql$/, '.yaml');
  return sqlModelAsset(
    engine,
    text,
    file,
    { domain: root.domain, layer, name, layers, sidecarYaml: existsSync(sidecar) ? readFileSync(sidecar, 'utf8') : undefined },
    parsed,
  );
}

/**
 * Attaches each data contract (`*.contract.yaml`, whose `id` names the asset it governs) to its
 * asset: the contract's promises become checks that fail the write when broken.
 */
async function attachContracts(assets: ResolvedAsset[], files: readonly { domain: string; file: string }[]): Promise<ResolvedAsset[]> {
  if (files.length === 0) return assets;
  const byKey = new Map(assets.map((a, i) => [a.key, i]));
  const out = [...assets];
  for (const { domain, file } of files) {
    let contract: Contract;
    try {
      contract = await loadContract(file);
    } catch (e) {
      throw new CoreError('CORE_INVALID_DEFINITION', (e as Error).message, { cause: e });
    }
    const key = contract.id.split('.').length === 2 ? `${domain}.${contract.id}` : contract.id;
    const i = byKey.get(key);
    if (i === undefined) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: the contract governs ${key}, which is not an asset of the project`);
    const asset = out[i] as ResolvedAsset;
    if (asset.contract) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: ${key} already has a contract (${asset.contract.file})`);
    const checks = [...asset.checks, ...(contractChecks(contract) as CheckDefinition[])];
    out[i] = { ...asset, checks, contract: { file, contract }, ...(asset.owner === undefined && contract.owner ? { owner: contract.owner } : {}) };
  }
  return out;
}

function isAssetDefinition(x: unknown): x is AssetDefinition {
  return !!x && typeof x === 'object' && typeof (x as AssetDefinition).key === 'string' && typeof (x as AssetDefinition).compute === 'function';
}

async function loadTsAssets(root: { path: string; domain: string }, file: string): Promise<ResolvedAsset[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new CoreError('CORE_USER_CODE', `${file}: cannot load: ${(e as Error).message}`, { cause: e, userStack: (e as Error).stack });
  }
  const defs = Object.values(mod).flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isAssetDefinition);
  return [...new Set(defs)].map((d) => resolveAsset(d, root.domain, file));
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out.sort();
}
