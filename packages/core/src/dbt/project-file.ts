import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CoreError } from '../errors.ts';
import { parseYamlWith } from '../project/config.ts';

const PATHS = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const TREE = z.record(z.string(), z.unknown());

/**
 * dbt_project.yml, the parts Strata reads. Other keys (profile, target-path, clean-targets,
 * require-dbt-version…) are accepted and ignored.
 */
export const DbtProjectFileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a dbt project name (letters, digits, _)'),
    version: z.union([z.string(), z.number()]).optional(),
    'model-paths': PATHS.optional(),
    /** dbt < 1.0 names of model-paths and seed-paths. */
    'source-paths': PATHS.optional(),
    'seed-paths': PATHS.optional(),
    'data-paths': PATHS.optional(),
    'test-paths': PATHS.optional(),
    'macro-paths': PATHS.optional(),
    vars: TREE.default({}),
    models: TREE.default({}),
    seeds: TREE.default({}),
    tests: TREE.optional(),
    data_tests: TREE.optional(),
  })
  .passthrough();

/** The project file with its paths resolved to defaults. */
export interface DbtProjectFile {
  readonly name: string;
  readonly modelPaths: readonly string[];
  readonly seedPaths: readonly string[];
  readonly testPaths: readonly string[];
  readonly macroPaths: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  /** The `models:`, `seeds:` and `data_tests:` configuration blocks. */
  readonly models: Readonly<Record<string, unknown>>;
  readonly seeds: Readonly<Record<string, unknown>>;
  readonly tests: Readonly<Record<string, unknown>>;
}

/** Reads `<dir>/dbt_project.yml`; a mistake names the file, the line and what was expected. */
export async function readDbtProjectFile(dir: string): Promise<DbtProjectFile> {
  const file = join(dir, 'dbt_project.yml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CoreError('CORE_INVALID_CONFIG', `no dbt_project.yml in ${dir}: not a dbt project`);
  }
  const raw = parseYamlWith(DbtProjectFileSchema, text, file);
  return {
    name: raw.name,
    modelPaths: raw['model-paths'] ?? raw['source-paths'] ?? ['models'],
    seedPaths: raw['seed-paths'] ?? raw['data-paths'] ?? ['seeds'],
    testPaths: raw['test-paths'] ?? ['tests'],
    macroPaths: raw['macro-paths'] ?? ['macros'],
    vars: raw.vars,
    models: raw.models,
    seeds: raw.seeds,
    tests: raw.data_tests ?? raw.tests ?? {},
  };
}

/**
 * The value of `var(name)` from dbt_project.yml: project-scoped vars (`vars: { <project>: { x } }`)
 * win over global ones; command-line vars win over both.
 */
export function projectVariable(file: DbtProjectFile, cliVars: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(cliVars, name)) return cliVars[name];
  const scoped = file.vars[file.name];
  if (scoped && typeof scoped === 'object' && Object.hasOwn(scoped, name)) return (scoped as Record<string, unknown>)[name];
  return Object.hasOwn(file.vars, name) ? file.vars[name] : undefined;
}

/** Parses `--vars`: a YAML (or JSON) mapping, as dbt's command line takes it. */
export function parseVars(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new CoreError('CORE_INVALID_ARGUMENT', `--vars: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new CoreError('CORE_INVALID_ARGUMENT', `--vars must be a mapping such as '{start_date: 2024-01-01}'`);
  return value as Record<string, unknown>;
}
