import { randomUUID } from 'node:crypto';
import { ident, str } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import { parsePredicate } from '../expressions/predicate.ts';
import { findField, serializeSchema, toDuckDbType } from '../schema/index.ts';
import { buildScanSql, dataFilePaths, selectFiles } from '../scan/scan.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { Transaction } from '../transaction/transaction.ts';
import { assertRules, tableRules } from './constraints.ts';
import type { TableContext } from './context.ts';
import type { MutationResult } from './delete.ts';
import { layoutOf, rewriteFiles } from './rewrite.ts';
import { resolveInput } from './schema-resolution.ts';

export interface MergeOptions {
  /** Key columns: a source row replaces the target row with the same key values. */
  readonly keys: readonly string[];
  /**
   * SQL condition over the source's columns: a matching target row is deleted instead of updated,
   * and a source row without a match is not inserted. Source columns used only here (such as a CDC
   * `op` column) are not written to the table.
   */
  readonly deleteWhen?: string;
  readonly evolveSchema?: boolean;
  /** Aborting before the commit leaves the table unchanged. */
  readonly signal?: AbortSignal;
}

export interface MergeResult extends MutationResult {
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
}

const DEL = '__strata_delete';
const FILE = '__strata_file';

/**
 * Upserts the rows of an SQL query by key: matched rows are updated (or deleted when `deleteWhen`
 * holds), unmatched rows inserted. Only files holding matched keys are rewritten. Each key may
 * appear at most once in the source.
 */
export async function mergeRows(ctx: TableContext, snapshot: Snapshot, sourceSql: string, options: MergeOptions): Promise<MergeResult> {
  const where = ctx.store.root;
  if (options.keys.length === 0) throw new DeltaError('DELTA_INVALID_ARGUMENT', 'merge needs at least one key column');
  for (const k of options.keys) {
    if (!findField(snapshot.schema, k)) throw new DeltaError('DELTA_INVALID_ARGUMENT', `merge key "${k}" is not a column of the table`);
  }
  const flagged = `SELECT *, ${options.deleteWhen ? `coalesce((${options.deleteWhen}), false)` : 'false'} AS ${ident(DEL)} FROM (${sourceSql})`;
  const info = await ctx.engine.describe(flagged);
  const deleteOnly = options.deleteWhen ? (await parsePredicate(ctx.engine, options.deleteWhen)).columns : new Set<string>();
  const keep = info.names
    .map((name, i) => ({ name, type: info.types[i] }))
    .filter((c) => c.name !== DEL && (findField(snapshot.schema, c.name) || !deleteOnly.has(c.name)));
  const src = `__strata_merge_${randomUUID().replaceAll('-', '')}`;
  const resolved = resolveInput(
    snapshot.schema,
    { names: keep.map((c) => c.name), types: keep.map((c) => c.type as NonNullable<typeof c.type>) },
    `SELECT * FROM ${ident(src)} WHERE NOT ${ident(DEL)}`,
    options.evolveSchema === true,
    where,
  );
  await ctx.engine.exec(`CREATE TEMP TABLE ${ident(src)} AS ${flagged}`);
  try {
    const keyList = options.keys.map(ident).join(', ');
    const [dups] = await ctx.engine.query<{ n: number; example: string | null }>(
      `SELECT count(*) AS n, any_value(k) AS example FROM (SELECT to_json(struct_pack(${options.keys.map((k) => `${ident(k)} := ${ident(k)}`).join(', ')}))::VARCHAR AS k FROM ${ident(src)} GROUP BY ${keyList} HAVING count(*) > 1)`,
    );
    if ((dups?.n ?? 0) > 0) {
      throw new DeltaError('DELTA_INVALID_ARGUMENT', `${where}: merge source has ${dups?.n} key(s) on several rows, e.g. ${dups?.example}; each key may appear once`);
    }
    const range = await keyRangePredicate(ctx, snapshot, src, options.keys);
    const candidates = range ? selectFiles(snapshot, range) : [];
    const on = options.keys.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(' AND ');
    let touched: typeof candidates = [];
    if (candidates.length > 0) {
      const scan = await buildScanSql(ctx.store, ctx.engine, snapshot, candidates, { fileColumn: FILE });
      const hit = await ctx.engine.query<{ f: string }>(
        `SELECT DISTINCT t.${ident(FILE)} AS f FROM (${scan}) t SEMI JOIN ${ident(src)} s ON ${on}`,
      );
      const hitSet = new Set(hit.map((h) => h.f));
      const paths = await dataFilePaths(ctx.store, ctx.engine, candidates);
      touched = candidates.filter((_, i) => hitSet.has(paths[i] as string));
    }
    const fields = resolved.schema.fields;
    let kept = `SELECT ${fields.map((f) => `CAST(NULL AS ${toDuckDbType(f.type)}) AS ${ident(f.name)}`).join(', ')} WHERE false`;
    let counts = { updated: 0, deleted: 0, inserted: 0 };
    if (touched.length > 0) {
      const scan = await buildScanSql(ctx.store, ctx.engine, snapshot, touched);
      const cols = fields.map((f) =>
        snapshot.schema.fields.some((x) => x.name === f.name) ? `t.${ident(f.name)}` : `CAST(NULL AS ${toDuckDbType(f.type)}) AS ${ident(f.name)}`,
      );
      kept = `SELECT ${cols.join(', ')} FROM (${scan}) t ANTI JOIN ${ident(src)} s ON ${on}`;
      const [c] = await ctx.engine.query<{ updated: number; deleted: number; inserted: number }>(
        `SELECT count(*) FILTER (WHERE m AND NOT d) AS updated, count(*) FILTER (WHERE m AND d) AS deleted, count(*) FILTER (WHERE NOT m AND NOT d) AS inserted
         FROM (SELECT s.${ident(DEL)} AS d, EXISTS (SELECT 1 FROM (${scan}) t WHERE ${on}) AS m FROM ${ident(src)} s)`,
      );
      counts = c ?? counts;
    } else {
      const [c] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${ident(src)} WHERE NOT ${ident(DEL)}`);
      counts = { updated: 0, deleted: 0, inserted: c?.n ?? 0 };
    }
    const data = `SELECT * FROM (${kept}) UNION ALL BY NAME SELECT * FROM (${resolved.sql})`;
    await assertRules(ctx.engine, tableRules(resolved.schema, snapshot.configuration), data, where);
    const adds = await rewriteFiles(ctx, layoutOf(snapshot, resolved.schema), `SELECT ${fields.map((f) => ident(f.name)).join(', ')} FROM (${data})`);
    const tx = new Transaction(ctx.store, snapshot, 'MERGE', {
      predicate: JSON.stringify(options.keys.map((k) => `t.${k} = s.${k}`)),
      ...(options.deleteWhen ? { matchedPredicates: JSON.stringify([{ predicate: options.deleteWhen, actionType: 'delete' }]) } : {}),
    });
    if (range) tx.readPredicate(range, candidates);
    if (resolved.added.length > 0) tx.setMetadata({ ...snapshot.metadata, schemaString: serializeSchema(resolved.schema) });
    tx.removeFiles(touched);
    tx.addFiles(adds);
    const { version } = await tx.commit({
      numTargetFilesRemoved: touched.length,
      numTargetFilesAdded: adds.length,
      numTargetRowsInserted: counts.inserted,
      numTargetRowsUpdated: counts.updated,
      numTargetRowsDeleted: counts.deleted,
    }, options.signal);
    return {
      version,
      committed: true,
      filesAdded: adds.length,
      filesRemoved: touched.length,
      rowsAffected: counts.inserted + counts.updated + counts.deleted,
      rowsInserted: counts.inserted,
      rowsUpdated: counts.updated,
      rowsDeleted: counts.deleted,
    };
  } finally {
    await ctx.engine.exec(`DROP TABLE IF EXISTS ${ident(src)}`);
  }
}

/** `k BETWEEN min AND max` for each key, from the source: prunes target files by statistics. */
async function keyRangePredicate(ctx: TableContext, snapshot: Snapshot, src: string, keys: readonly string[]) {
  const aggs = keys.map((k, i) => `min(${ident(k)})::VARCHAR AS lo${i}, max(${ident(k)})::VARCHAR AS hi${i}`).join(', ');
  const [row] = await ctx.engine.query<Record<string, string | null>>(`SELECT ${aggs} FROM ${ident(src)}`);
  const parts: string[] = [];
  keys.forEach((k, i) => {
    const lo = row?.[`lo${i}`];
    const hi = row?.[`hi${i}`];
    const field = findField(snapshot.schema, k);
    if (lo == null || hi == null || !field) return;
    const t = toDuckDbType(field.type);
    parts.push(`${ident(field.name)} BETWEEN CAST(${str(lo)} AS ${t}) AND CAST(${str(hi)} AS ${t})`);
  });
  if (parts.length === 0) return undefined;
  return parsePredicate(ctx.engine, parts.join(' AND '));
}
