import { z } from 'zod';
import type { Engine } from '@strata/delta';
import type { ResolvedAsset } from '../definitions/asset.ts';
import type { Materialization } from '../definitions/materialization.ts';
import type { PartitionsDefinition } from '../definitions/partitions.ts';
import { CoreError } from '../errors.ts';
import { ChecksSchema, MonitorSchema } from '@strata/quality';
import type { CheckDefinition } from '@strata/quality';
import { checkDependencies } from '../definitions/check-deps.ts';
import { parseYamlWith } from './config.ts';

/** The YAML header of an SQL model (a leading block comment) or its sibling `.yaml` file. */
export const SqlModelConfigSchema = z
  .object({
    description: z.string().optional(),
    materialized: z.enum(['table', 'view', 'incremental', 'snapshot']).default('table'),
    /** For incremental models: append (default), merge (needs unique_key) or replace_partition. */
    incremental_strategy: z.enum(['append', 'merge', 'replace_partition']).optional(),
    unique_key: z.union([z.string(), z.array(z.string())]).optional(),
    updated_at: z.string().optional(),
    partition_by: z.union([z.string(), z.array(z.string())]).optional(),
    /**
     * Run partitions: each run materializes one partition, replacing its rows. The SQL reads the
     * partition with getvariable('partition_key'), getvariable('partition_start') and
     * getvariable('partition_end') (a half-open TIMESTAMPTZ range for time windows).
     */
    partitions: z
      .union([
        z.object({ daily: z.string(), column: z.string(), end: z.string().optional() }).strict(),
        z.object({ hourly: z.string(), column: z.string(), end: z.string().optional() }).strict(),
        z.object({ monthly: z.string(), column: z.string(), end: z.string().optional() }).strict(),
        z.object({ values: z.array(z.string()).min(1), column: z.string() }).strict(),
      ])
      .optional(),
    tags: z.array(z.string()).default([]),
    owner: z.string().optional(),
    deps: z.array(z.string()).default([]),
    retries: z.number().int().min(0).max(100).default(0),
    timeout_seconds: z.number().positive().optional(),
    meta: z.record(z.string(), z.unknown()).default({}),
    /** Data-quality checks (see docs/quality.md). */
    checks: ChecksSchema.default([]),
    /** Column → type: values that do not convert go to the quarantine table (see docs/quality.md). */
    casts: z.record(z.string(), z.string().min(1)).default({}),
    /** Record metrics of the rows each materialization writes (default true). */
    metrics: z.boolean().default(true),
    /** Anomaly monitors over the metrics' history. */
    monitors: z.array(MonitorSchema).default([]),
  })
  .strict();

export type SqlModelConfig = z.infer<typeof SqlModelConfigSchema>;

const HEADER = /^\s*\/\*([\s\S]*?)\*\//;

/** Splits a model file into its YAML header (if any) and its SQL. */
export function splitHeader(text: string): { header?: string; sql: string } {
  const m = HEADER.exec(text);
  if (!m) return { sql: text.trim() };
  return { header: m[1], sql: text.slice(m[0].length).trim() };
}

export function parseModelConfig(header: string | undefined, file: string): SqlModelConfig {
  return parseYamlWith(SqlModelConfigSchema, header?.trim() ? header : '{}', file);
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The run partitions a model declares (`partitions: { daily: '2026-01-01', column: day }`). */
export function modelPartitions(c: SqlModelConfig): PartitionsDefinition | undefined {
  const p = c.partitions;
  if (!p) return undefined;
  if ('values' in p) return { kind: 'static', values: p.values, column: p.column };
  if ('daily' in p) return { kind: 'daily', start: p.daily, end: p.end, column: p.column };
  if ('hourly' in p) return { kind: 'hourly', start: p.hourly, end: p.end, column: p.column };
  return { kind: 'monthly', start: p.monthly, end: p.end, column: p.column };
}

export function modelMaterialization(c: SqlModelConfig, file: string): Materialization {
  // A partitioned model replaces its partition's rows unless told otherwise.
  if (c.partitions && c.materialized === 'table') return { kind: 'incremental', strategy: 'replace_partition' };
  switch (c.materialized) {
    case 'table':
      return { kind: 'table' };
    case 'view':
      return { kind: 'view' };
    case 'snapshot':
      if (!c.unique_key) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: a snapshot model needs unique_key`);
      return { kind: 'snapshot', uniqueKey: list(c.unique_key), updatedAt: c.updated_at };
    case 'incremental': {
      const strategy = c.incremental_strategy ?? (c.unique_key ? 'merge' : 'append');
      if (strategy === 'merge') {
        if (!c.unique_key) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: incremental_strategy merge needs unique_key`);
        return { kind: 'incremental', strategy, uniqueKey: list(c.unique_key) };
      }
      return { kind: 'incremental', strategy };
    }
  }
}

export interface TableRef {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
}

/**
 * The tables an SQL query reads, found by DuckDB's own parser (`json_serialize_sql`): every base
 * table reference outside the query's CTE names. A syntax error names the file and DuckDB's message.
 */
export async function tablesRead(engine: Engine, sql: string, file: string): Promise<TableRef[]> {
  const [refs] = await tablesReadMany(engine, [{ sql, file }]);
  return refs ?? [];
}

/** `tablesRead` for many queries in one engine call (project load parses every model at once). */
export async function tablesReadMany(engine: Engine, items: readonly { sql: string; file: string }[]): Promise<TableRef[][]> {
  if (items.length === 0) return [];
  const values = items.map((it, i) => `(${i}, '${it.sql.replaceAll("'", "''")}')`).join(', ');
  const rows = await engine.query<{ i: number; j: string }>(`SELECT i, json_serialize_sql(s) AS j FROM (VALUES ${values}) AS t(i, s) ORDER BY i`);
  return rows.map((row) => refsOf(row.j, (items[row.i] as { file: string }).file));
}

function refsOf(serialized: string, file: string): TableRef[] {
  const json = JSON.parse(serialized || '{}') as { error?: boolean; error_message?: string; statements?: unknown[] };
  if (json.error) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: invalid SQL: ${json.error_message}`);
  const refs: TableRef[] = [];
  const ctes = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'BASE_TABLE' && typeof n.table_name === 'string') {
      refs.push({ catalog: String(n.catalog_name ?? ''), schema: String(n.schema_name ?? ''), table: n.table_name });
    }
    const cteMap = n.cte_map as { map?: { key: string }[] } | undefined;
    for (const e of cteMap?.map ?? []) ctes.add(e.key.toLowerCase());
    for (const v of Object.values(n)) visit(v);
  };
  visit(json.statements ?? []);
  return refs.filter((r) => !(r.catalog === '' && r.schema === '' && ctes.has(r.table.toLowerCase())));
}

/** Upstream asset keys of a model: references of the form layer.table or domain.layer.table. */
export function dependenciesOf(refs: readonly TableRef[], domain: string, layers: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const r of refs) {
    if (r.schema && layers.includes(r.schema)) keys.add(`${r.catalog || domain}.${r.schema}.${r.table}`);
  }
  return [...keys].sort();
}

/** Builds an asset from a SQL model file. */
export async function sqlModelAsset(
  engine: Engine,
  text: string,
  file: string,
  where: { domain: string; layer: string; name: string; layers: readonly string[]; sidecarYaml?: string },
  /** The tables the SQL reads, when already parsed (in a batch). */
  parsed?: readonly TableRef[],
): Promise<ResolvedAsset> {
  const { header, sql } = splitHeader(text);
  if (!sql) throw new CoreError('CORE_INVALID_DEFINITION', `${file}: the model has no SQL`);
  const config = parseModelConfig(where.sidecarYaml ?? header, where.sidecarYaml ? file.replace(/\.sql$/, '.yaml') : file);
  const inferred = dependenciesOf(parsed ?? (await tablesRead(engine, sql, file)), where.domain, where.layers);
  const explicit = config.deps.map((d) => (d.split('.').length === 2 ? `${where.domain}.${d}` : d));
  const key = `${where.domain}.${where.layer}.${where.name}`;
  return {
    key,
    domain: where.domain,
    layer: where.layer,
    name: where.name,
    deps: [...new Set([...inferred, ...explicit, ...checkDependencies(config.checks as CheckDefinition[], where.domain)])].filter((d) => d !== key).sort(),
    description: config.description,
    materialization: modelMaterialization(config, file),
    partitions: modelPartitions(config),
    partitionBy: list(config.partition_by),
    tags: config.tags,
    owner: config.owner,
    metadata: { ...config.meta, sql },
    retry: { maxRetries: config.retries },
    timeoutMs: config.timeout_seconds === undefined ? undefined : config.timeout_seconds * 1000,
    checks: config.checks as CheckDefinition[],
    casts: config.casts,
    metrics: config.metrics,
    monitors: config.monitors,
    kind: 'sql',
    source: file,
    compute: () => sql,
  };
}
