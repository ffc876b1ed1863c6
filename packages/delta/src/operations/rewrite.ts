import type { Add } from '../actions/index.ts';
import { ident, str } from '../engine/index.ts';
import type { ParsedPredicate } from '../expressions/predicate.ts';
import { physicalName, toDuckDbType } from '../schema/index.ts';
import { buildScanSql, dataFilePaths, selectFiles } from '../scan/scan.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { TableContext } from './context.ts';
import type { TableLayout } from './write-files.ts';
import { writeDataFiles } from './write-files.ts';

export interface AffectedFiles {
  /** Files whose statistics say they may hold matching rows (what the operation read). */
  readonly candidates: readonly Add[];
  /** Files in which every row matches: removed whole. */
  readonly full: readonly Add[];
  /** Files in which some rows match: rewritten. */
  readonly partial: readonly Add[];
}

const FILE = '__strata_file';

/**
 * Finds the files holding rows that match a predicate. Statistics prune first; a predicate on
 * partition columns only is decided from partition values; otherwise matching rows are counted
 * per file by the engine.
 */
export async function findAffectedFiles(ctx: TableContext, snapshot: Snapshot, predicate: ParsedPredicate): Promise<AffectedFiles> {
  const candidates = selectFiles(snapshot, predicate);
  if (candidates.length === 0) return { candidates, full: [], partial: [] };
  const partitionCols = new Set(snapshot.partitionColumns.map((c) => c.toLowerCase()));
  const onlyPartitions = [...predicate.columns].every((c) => partitionCols.has(c.toLowerCase()));
  if (onlyPartitions && snapshot.partitionColumns.length > 0) {
    const matched = await filesMatchingOnPartitions(ctx, snapshot, candidates, predicate);
    return { candidates, full: candidates.filter((_, i) => matched.has(i)), partial: [] };
  }
  const scan = await buildScanSql(ctx.store, ctx.engine, snapshot, candidates, { fileColumn: FILE });
  const rows = await ctx.engine.query<{ f: string; hit: number; total: number }>(
    `SELECT ${ident(FILE)} AS f, count(*) FILTER (WHERE (${predicate.sql}) IS TRUE) AS hit, count(*) AS total FROM (${scan}) GROUP BY 1`,
  );
  const paths = await dataFilePaths(ctx.store, ctx.engine, candidates);
  const byPath = new Map(rows.map((r) => [r.f, r]));
  const full: Add[] = [];
  const partial: Add[] = [];
  candidates.forEach((add, i) => {
    const r = byPath.get(paths[i] as string);
    if (!r || r.hit === 0) return;
    (r.hit === r.total ? full : partial).push(add);
  });
  return { candidates, full, partial };
}

/** Rewrites files keeping only the rows for which the predicate is not true; returns the new files. */
export async function rewriteWithout(ctx: TableContext, snapshot: Snapshot, files: readonly Add[], predicate: ParsedPredicate): Promise<Add[]> {
  if (files.length === 0) return [];
  const scan = await buildScanSql(ctx.store, ctx.engine, snapshot, files);
  return rewriteFiles(ctx, layoutOf(snapshot), `SELECT * FROM (${scan}) WHERE (${predicate.sql}) IS NOT TRUE`);
}

/** The layout new files of a snapshot's table are written with (optionally with an evolved schema). */
export function layoutOf(snapshot: Snapshot, schema = snapshot.schema): TableLayout {
  return { schema, partitionColumns: snapshot.partitionColumns, mapping: snapshot.columnMapping, configuration: snapshot.configuration };
}

/**
 * Writes the rows of `sql` (the layout's logical columns) as new data files. With a target size
 * (compaction) the files are as few as that size allows instead of one per engine thread.
 */
export function rewriteFiles(ctx: TableContext, layout: TableLayout, sql: string, dataChange = true, targetFileSize?: number): Promise<Add[]> {
  return writeDataFiles(ctx.store, ctx.engine, layout, sql, { dataChange, targetFileSize, perThread: targetFileSize === undefined });
}

async function filesMatchingOnPartitions(
  ctx: TableContext,
  snapshot: Snapshot,
  files: readonly Add[],
  predicate: ParsedPredicate,
): Promise<Set<number>> {
  const fields = snapshot.schema.fields.filter((f) => snapshot.partitionColumns.includes(f.name));
  const rows = files.map((add, i) => {
    const values = fields.map((f) => {
      const raw = add.partitionValues[physicalName(f, snapshot.columnMapping)];
      const type = toDuckDbType(f.type);
      return raw === null || raw === undefined || (raw === '' && f.type !== 'string') ? `NULL::${type}` : `CAST(${str(raw)} AS ${type})`;
    });
    return `(${[String(i), ...values].join(', ')})`;
  });
  const cols = ['__i', ...fields.map((f) => f.name)].map(ident).join(', ');
  const hits = await ctx.engine.query<{ i: number }>(
    `SELECT "__i" AS i FROM (VALUES ${rows.join(', ')}) AS t(${cols}) WHERE (${predicate.sql}) IS TRUE`,
  );
  return new Set(hits.map((h) => h.i));
}
