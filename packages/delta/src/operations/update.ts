import { ident } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import { parsePredicate } from '../expressions/predicate.ts';
import { findField, toDuckDbType } from '../schema/index.ts';
import { buildScanSql } from '../scan/scan.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { Transaction } from '../transaction/transaction.ts';
import { assertRules, tableRules } from './constraints.ts';
import type { TableContext } from './context.ts';
import type { MutationResult } from './delete.ts';
import { assertColumnsExist } from './delete.ts';
import { findAffectedFiles, layoutOf, rewriteFiles } from './rewrite.ts';

/**
 * Sets columns to SQL expressions (over the row's current values) in the rows matching `where`
 * (all rows without it). Files with matching rows are rewritten; others are untouched.
 */
export async function updateRows(
  ctx: TableContext,
  snapshot: Snapshot,
  set: Readonly<Record<string, string>>,
  whereSql?: string,
): Promise<MutationResult> {
  const entries = Object.entries(set);
  if (entries.length === 0) throw new DeltaError('DELTA_INVALID_ARGUMENT', 'update needs at least one column to set');
  for (const [col] of entries) {
    if (!findField(snapshot.schema, col)) assertColumnsExist(snapshot, [col], `SET ${col}`);
    if (snapshot.partitionColumns.includes(col)) {
      throw new DeltaError('DELTA_INVALID_ARGUMENT', `column "${col}" is a partition column; update it with a delete and an insert`);
    }
  }
  const predicate = await parsePredicate(ctx.engine, whereSql ?? 'true');
  assertColumnsExist(snapshot, predicate.columns, whereSql ?? 'true');
  const affected = await findAffectedFiles(ctx, snapshot, predicate);
  const files = [...affected.full, ...affected.partial];
  if (files.length === 0) return { version: snapshot.version, committed: false, filesAdded: 0, filesRemoved: 0, rowsAffected: 0 };
  const scan = await buildScanSql(ctx.store, ctx.engine, snapshot, files);
  const cond = `(${predicate.sql}) IS TRUE`;
  const projections = snapshot.schema.fields.map((f) => {
    const expr = entries.find(([c]) => c.toLowerCase() === f.name.toLowerCase())?.[1];
    return expr === undefined
      ? ident(f.name)
      : `CASE WHEN ${cond} THEN CAST((${expr}) AS ${toDuckDbType(f.type)}) ELSE ${ident(f.name)} END AS ${ident(f.name)}`;
  });
  const updatedSql = `SELECT ${projections.join(', ')} FROM (${scan})`;
  await assertRules(ctx.engine, tableRules(snapshot.schema, snapshot.configuration), updatedSql, ctx.store.root);
  const [count] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM (${scan}) WHERE ${cond}`);
  const adds = await rewriteFiles(ctx, layoutOf(snapshot), updatedSql);
  const tx = new Transaction(ctx.store, snapshot, 'UPDATE', { predicate: JSON.stringify(whereSql ? [whereSql] : []) });
  tx.readPredicate(predicate, affected.candidates);
  tx.removeFiles(files);
  tx.addFiles(adds);
  const { version } = await tx.commit({ numRemovedFiles: files.length, numAddedFiles: adds.length, numUpdatedRows: count?.n ?? 0 });
  return { version, committed: true, filesAdded: adds.length, filesRemoved: files.length, rowsAffected: count?.n ?? 0 };
}
