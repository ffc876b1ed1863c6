import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { DEFAULT_LAYERS } from '../definitions/asset-key.ts';
import { CoreError } from '../errors.ts';

const NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a name of letters, digits, _ and -');
const SELECT = z.union([z.string(), z.array(z.string())]);
const TIMEZONE = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Paris');

export const ScheduleSchema = z
  .object({
    name: NAME,
    /** Five- or six-field cron expression, e.g. "0 2 * * *". */
    cron: z.string(),
    timezone: TIMEZONE.default('UTC'),
    select: SELECT,
    /** For partitioned assets: run the last complete partition at the tick. */
    partition: z.literal('latest').optional(),
  })
  .strict();

export const SensorSchema = z
  .object({
    name: NAME,
    type: z.literal('new_files'),
    /** A folder (relative to the project) or s3://bucket/prefix. */
    path: z.string(),
    /** Glob on the file name relative to path, e.g. "*.csv" or "**\/*.json". */
    pattern: z.string().default('*'),
    select: SELECT,
    interval_seconds: z.number().positive().default(30),
  })
  .strict();

export const AutomationSchema = z
  .object({
    select: SELECT,
    /** Materialize a selected asset when an upstream asset was materialized after it. */
    when: z.literal('upstream_changed'),
    /** Only evaluate at these times (cron); every daemon tick when absent. */
    cron: z.string().optional(),
    timezone: TIMEZONE.default('UTC'),
  })
  .strict();

export type ScheduleConfig = z.infer<typeof ScheduleSchema>;
export type SensorConfig = z.infer<typeof SensorSchema>;
export type AutomationConfig = z.infer<typeof AutomationSchema>;

/** strata.yaml: the single source of the project configuration's shape, messages and JSON Schema. */
export const ProjectConfigSchema = z
  .object({
    name: NAME,
    description: z.string().optional(),
    /** Where tables live: a folder (relative to the project) or s3://bucket/prefix. */
    lake: z.string().default('lake'),
    /** Run history: a SQLite file (relative to the project), postgres://…, or memory:. */
    metadata: z.string().default('.strata/runs.db'),
    /** Domain of assets under assets/ (default: the project name). */
    defaultDomain: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    layers: z
      .object({
        /** Extra layers besides bronze, silver and gold, e.g. [staging]. */
        extra: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default([]),
        /** Allow gold assets to read bronze assets directly. */
        allowGoldFromBronze: z.boolean().default(false),
      })
      .strict()
      .default({ extra: [], allowGoldFromBronze: false }),
    execution: z
      .object({
        concurrency: z.number().int().min(1).max(256).default(4),
      })
      .strict()
      .default({ concurrency: 4 }),
    /** Named values and connection settings given to assets as `ctx.resources`. */
    resources: z.record(z.string(), z.unknown()).default({}),
    /** Modules (package names or ./paths) exporting resources (defineResource), configured under `resources:`. */
    resourceModules: z.array(z.string()).default([]),
    /** Modules (package names or ./paths) exporting components (defineComponent) used by YAML files. */
    components: z.array(z.string()).default([]),
    /** Cron schedules run by `strata daemon` / `strata dev`. */
    schedules: z.array(ScheduleSchema).default([]),
    /** Sensors evaluated by the daemon; `new_files` watches a folder or S3 prefix. */
    sensors: z.array(SensorSchema).default([]),
    /** Freshness-driven automation: materialize assets whose upstreams changed. */
    automation: z.array(AutomationSchema).default([]),
    /** Delete runs (and their events) older than this many days; materializations are kept. */
    runRetentionDays: z.number().int().positive().optional(),
  })
  .strict();

export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;

export function projectLayers(config: ProjectConfig): string[] {
  return [...DEFAULT_LAYERS, ...config.layers.extra];
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` with environment variables in every string of the
 * configuration; a missing variable without a default is an error naming it and where it is used.
 */
export function interpolate(value: unknown, env: Readonly<Record<string, string | undefined>>, path = '', file = 'strata.yaml'): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
      const v = env[name] ?? fallback;
      if (v === undefined) throw new CoreError('CORE_INVALID_CONFIG', `${file}: ${path || 'value'} uses \${${name}}, which is not set`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, `${path}[${i}]`, file));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, path ? `${path}.${k}` : k, file)]));
  }
  return value;
}

/** Reads and validates `<dir>/strata.yaml`; errors name the file, the line and the expected shape. */
export async function loadProjectConfig(dir: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<ProjectConfig> {
  const file = join(dir, 'strata.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CoreError('CORE_INVALID_CONFIG', `no strata.yaml in ${dir}: run "strata init ${dir}" to create a project`);
  }
  return parseYamlWith(ProjectConfigSchema, text, file, (raw) => interpolate(raw, env));
}

/**
 * Parses YAML text and validates it with a zod schema. A problem is reported as
 * `file:line: path: message`, using the line of the offending node.
 */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, file: string, transform: (raw: unknown) => unknown = (x) => x): z.infer<S> {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new CoreError('CORE_INVALID_CONFIG', `${file}:${e?.linePos?.[0]?.line ?? '?'}: invalid YAML: ${e?.message.split('\n')[0]}`);
  }
  const result = schema.safeParse(transform(doc.toJS()));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  // The line of the deepest part of the path that the file has (a missing key points at its parent).
  let offset: number | undefined;
  for (let n = path.length; n >= 0 && offset === undefined; n--) {
    offset = (doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined)?.range?.[0];
  }
  const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
  const where = path.length > 0 ? path.join('.') : '(top level)';
  throw new CoreError('CORE_INVALID_CONFIG', `${file}${line ? `:${line}` : ''}: ${where}: ${issue?.message ?? 'invalid'}`);
}

/** Resolves a project-relative path (absolute paths and URIs are kept). */
export function projectPath(dir: string, p: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(p) || isAbsolute(p) ? p : join(dir, p);
}
