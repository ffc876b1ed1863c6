import { DeltaError } from '../errors.ts';
import { parsePredicate } from '../expressions/predicate.ts';
import { buildScanSql } from '../scan/scan.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { Transaction } from '../transaction/transaction.ts';
import type { TableContext } from './context.ts';
import { findAffectedFiles, rewriteWithout } from './rewrite.ts';

export interface MutationResult {
  readonly version: number;
  readonly committed: boolean;
  readonly filesAdded: number;
  readonly filesRemoved: number;
  /** Rows deleted, updated or merged, as the operation counts them. */
  readonly rowsAffected: number;
}

/**
 * Deletes the rows matching an SQL predicate (all rows without one). Files whose rows all match are
 * removed; files with some matching rows are rewritten without them (copy-on-write).
 */
export async function deleteRows(ctx: TableContext, snapshot: Snapshot, predicateSql?: string): Promise<MutationResult> {
  const tx = new Transaction(ctx.store, snapshot, 'DELETE', { predicate: JSON.stringify(predicateSql ? [predicateSql] : []) });
  if (!predicateSql) {
    tx.readWholeTable();
    tx.removeFiles(snapshot.files);
    const rows = snapshot.numRecords ?? 0;
    const { version } = await tx.commit({ numRemovedFiles: snapshot.files.length, numDeletedRows: rows });
    return { version, committed: true, filesAdded: 0, filesRemoved: snapshot.files.length, rowsAffected: rows };
  }
  const predicate = await parsePredicate(ctx.engine, predicateSql);
  assertColumnsExist(snapshot, predicate.columns, predicateSql);
  const affected = await findAffectedFiles(ctx, snapshot, predicate);
  const removed = [...affected.full, ...affected.partial];
  if (removed.length === 0) {
    return { version: snapshot.version, committed: false, filesAdded: 0, filesRemoved: 0, rowsAffected: 0 };
  }
  const before = await countRows(ctx, snapshot, removed);
  const adds = await rewriteWithout(ctx, snapshot, affected.partial, predicate);
  const after = adds.reduce((n, a) => n + ((JSON.parse(a.stats ?? '{}') as { numRecords?: number }).numRecords ?? 0), 0);
  tx.readPredicate(predicate, affected.candidates);
  tx.removeFiles(removed);
  tx.addFiles(adds);
  const deleted = before - after;
  const { version } = await tx.commit({ numRemovedFiles: removed.length, numAddedFiles: adds.length, numDeletedRows: deleted });
  return { version, committed: true, filesAdded: adds.length, filesRemoved: removed.length, rowsAffected: deleted };
}

/** Fails with a message naming the unknown column and the table's columns. */
export function assertColumnsExist(snapshot: Snapshot, columns: Iterable<string>, sql: string): void {
  const names = new Set(snapshot.schema.fields.map((f) => f.name.toLowerCase()));
  for (const c of columns) {
    if (!names.has(c.toLowerCase())) {
      throw new DeltaError(
        'DELTA_INVALID_ARGUMENT',
        `predicate ${JSON.stringify(sql)} uses unknown column "${c}"; the table has ${snapshot.schema.fields.map((f) => f.name).join(', ')}`,
      );
    }
  }
}

async function countRows(ctx: TableContext, snapshot: Snapshot, files: Snapshot['files']): Promise<number> {
  let n = 0;
  for (const f of files) {
    const stats = f.stats ? (JSON.parse(f.stats) as { numRecords?: number }) : undefined;
    if (stats?.numRecords === undefined) {
      const [row] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM (${await buildScanSql(ctx.store, ctx.engine, snapshot, [f])})`);
      n += row?.n ?? 0;
    } else n += stats.numRecords - (f.deletionVector?.cardinality ?? 0);
  }
  return n;
}
