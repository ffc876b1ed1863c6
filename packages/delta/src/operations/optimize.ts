import type { Add } from '../actions/index.ts';
import { parsePredicate } from '../expressions/predicate.ts';
import { buildScanSql, selectFiles } from '../scan/scan.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { Transaction } from '../transaction/transaction.ts';
import type { TableContext } from './context.ts';
import { layoutOf, rewriteFiles } from './rewrite.ts';

export interface OptimizeOptions {
  /** Files smaller than this are compacted into files of about this size (default 128 MiB). */
  readonly targetSize?: number;
  /** Only compact partitions matching this SQL predicate on partition columns. */
  readonly where?: string;
}

export interface OptimizeResult {
  readonly version: number;
  readonly committed: boolean;
  readonly filesRemoved: number;
  readonly filesAdded: number;
  readonly partitionsOptimized: number;
}

const DEFAULT_TARGET = 128 * 1024 * 1024;

/**
 * Bin-packs small files per partition into larger ones. The commit changes no data
 * (`dataChange=false`), so streaming readers and concurrent appends are unaffected; deletion
 * vectors are applied while rewriting.
 */
export async function optimize(ctx: TableContext, snapshot: Snapshot, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const target = options.targetSize ?? DEFAULT_TARGET;
  const predicate = options.where ? await parsePredicate(ctx.engine, options.where) : undefined;
  const groups = new Map<string, Add[]>();
  for (const f of selectFiles(snapshot, predicate)) {
    if (f.size >= target && !f.deletionVector) continue;
    const key = JSON.stringify(snapshot.partitionColumns.map((c) => f.partitionValues[c] ?? null));
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const tx = new Transaction(ctx.store, snapshot, 'OPTIMIZE', { predicate: JSON.stringify(options.where ? [options.where] : []), targetSize: target });
  let removed = 0;
  let added = 0;
  let partitions = 0;
  for (const files of groups.values()) {
    if (files.length < 2 && !files.some((f) => f.deletionVector)) continue;
    for (const bin of binPack(files, target)) {
      if (bin.length < 2 && !bin.some((f) => f.deletionVector)) continue;
      const scan = await buildScanSql(ctx.store, ctx.engine, snapshot, bin);
      const adds = await rewriteFiles(ctx, layoutOf(snapshot), scan, false, target);
      tx.readFiles(bin);
      tx.removeFiles(bin, false);
      tx.addFiles(adds);
      removed += bin.length;
      added += adds.length;
    }
    partitions++;
  }
  if (removed === 0) return { version: snapshot.version, committed: false, filesRemoved: 0, filesAdded: 0, partitionsOptimized: 0 };
  const { version } = await tx.commit({ numRemovedFiles: removed, numAddedFiles: added });
  return { version, committed: true, filesRemoved: removed, filesAdded: added, partitionsOptimized: partitions };
}

function binPack(files: readonly Add[], target: number): Add[][] {
  const bins: Add[][] = [];
  let current: Add[] = [];
  let size = 0;
  for (const f of [...files].sort((a, b) => a.size - b.size)) {
    if (current.length > 0 && size + f.size > target) {
      bins.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.size;
  }
  if (current.length > 0) bins.push(current);
  return bins;
}
