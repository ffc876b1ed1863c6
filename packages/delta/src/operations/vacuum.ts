import { deletionVectorFilePath } from '../deletion-vectors/index.ts';
import { storageCall } from '../io/storage-call.ts';
import { assertWritable } from '../protocol/features.ts';
import { decodePath } from '../log-replay/replay.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { TableContext } from './context.ts';
import { retentionMillis } from './retention.ts';

export interface VacuumOptions {
  /** Keep files removed less than this many hours ago (default: the table's retention, 7 days). */
  readonly retentionHours?: number;
  /** List what would be deleted without deleting. */
  readonly dryRun?: boolean;
  readonly now?: number;
}

export interface VacuumResult {
  /** Keys (relative to the table root) deleted, or that would be deleted in a dry run. */
  readonly files: readonly string[];
  readonly dryRun: boolean;
}

/**
 * Deletes files under the table root that the current version does not use and that are older
 * than the retention period: files removed by earlier commits, and orphans left by writers that
 * never committed. `_delta_log`, hidden files and folders (`_…`, `.…`) are never touched.
 */
export async function vacuum(ctx: TableContext, snapshot: Snapshot, options: VacuumOptions = {}): Promise<VacuumResult> {
  assertWritable(snapshot.protocol, snapshot.metadata, snapshot.schema, ctx.store.root);
  const now = options.now ?? Date.now();
  const retention = options.retentionHours !== undefined ? options.retentionHours * 3_600_000 : retentionMillis(snapshot.configuration);
  const cutoff = now - retention;
  const live = new Set<string>();
  for (const add of snapshot.files) {
    live.add(decodePath(add.path));
    const dv = add.deletionVector ? deletionVectorFilePath(add.deletionVector) : undefined;
    if (dv && add.deletionVector?.storageType === 'u') live.add(dv);
  }
  const recentlyRemoved = new Set<string>();
  for (const r of snapshot.tombstones) if ((r.deletionTimestamp ?? 0) > cutoff) recentlyRemoved.add(decodePath(r.path));
  const objects = await storageCall(`list ${ctx.store.root}`, () => ctx.store.list(''));
  const doomed = objects
    .filter((o) => !o.key.split('/').some((seg) => isHidden(seg)))
    .filter((o) => !live.has(o.key) && !recentlyRemoved.has(o.key) && o.lastModified < cutoff)
    .map((o) => o.key);
  if (!options.dryRun) {
    for (let i = 0; i < doomed.length; i += 32) {
      await Promise.all(doomed.slice(i, i + 32).map((k) => storageCall(`delete ${k}`, () => ctx.store.delete(k))));
    }
  }
  return { files: doomed, dryRun: options.dryRun === true };
}

function isHidden(segment: string): boolean {
  // Hive partition folders can legitimately start with '_' only as `_col=value`; Delta keeps those.
  return (segment.startsWith('_') && !segment.includes('=')) || segment.startsWith('.');
}
