import type { CommitInfo } from '../actions/index.ts';
import { parseActions } from '../actions/index.ts';
import { DeltaError } from '../errors.ts';
import { storageCall } from '../io/storage-call.ts';
import { listLog } from '../log-segment/log-segment.ts';
import { commitTimestamps } from '../snapshot/load.ts';
import type { TableContext } from './context.ts';

export interface HistoryEntry {
  readonly version: number;
  /** Commit time (ms since the epoch). */
  readonly timestamp: number;
  readonly operation?: string;
  readonly operationParameters?: Readonly<Record<string, unknown>>;
  readonly operationMetrics?: Readonly<Record<string, string>>;
  readonly readVersion?: number;
  readonly isBlindAppend?: boolean;
  readonly engineInfo?: string;
}

/** The table's commits, newest first (only those whose commit files still exist). */
export async function history(ctx: TableContext, limit?: number): Promise<HistoryEntry[]> {
  const { commits } = await listLog(ctx.store);
  if (commits.length === 0) throw new DeltaError('DELTA_TABLE_NOT_FOUND', `${ctx.store.root}: no Delta table (no commit in _delta_log)`);
  const times = await commitTimestamps(ctx.store, commits);
  const picked = commits.map((c, i) => ({ c, t: times[i] as number })).reverse().slice(0, limit ?? commits.length);
  return Promise.all(
    picked.map(async ({ c, t }) => {
      const actions = parseActions(await storageCall(`read ${c.key}`, () => ctx.store.get(c.key)), c.key);
      const info: CommitInfo = actions.find((a) => a.commitInfo)?.commitInfo ?? {};
      return {
        version: c.version,
        timestamp: t,
        operation: info.operation,
        operationParameters: info.operationParameters,
        operationMetrics: info.operationMetrics,
        readVersion: info.readVersion,
        isBlindAppend: info.isBlindAppend,
        engineInfo: info.engineInfo,
      };
    }),
  );
}
