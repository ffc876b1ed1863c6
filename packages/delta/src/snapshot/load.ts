import type { ObjectStore } from '@strata/storage';
import type { Action } from '../actions/index.ts';
import { parseActions } from '../actions/index.ts';
import type { Engine } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import { storageCall } from '../io/storage-call.ts';
import { readCheckpoint } from '../log-replay/read-checkpoint.ts';
import type { TableState } from '../log-replay/replay.ts';
import { applyActions, copyState, emptyState } from '../log-replay/replay.ts';
import type { CommitFile, LogListing, LogSegment } from '../log-segment/log-segment.ts';
import { buildLogSegment, listLog, readLastCheckpointHint } from '../log-segment/log-segment.ts';
import { assertReadable } from '../protocol/features.ts';
import { Snapshot } from './snapshot.ts';

export interface SnapshotOptions {
  /** Load this version instead of the latest. */
  readonly version?: number;
  /** Load the latest version committed at or before this instant. */
  readonly timestamp?: Date | string | number;
}

/** Loads a snapshot: latest, at a version, or as of a timestamp. */
export async function loadSnapshot(store: ObjectStore, engine: Engine, options: SnapshotOptions = {}): Promise<Snapshot> {
  if (options.version !== undefined && options.timestamp !== undefined) {
    throw new DeltaError('DELTA_INVALID_ARGUMENT', 'give a version or a timestamp, not both');
  }
  if (options.timestamp !== undefined) {
    const version = await versionAtTimestamp(store, options.timestamp);
    return loadSnapshot(store, engine, { version });
  }
  const target = options.version;
  if (target !== undefined && (!Number.isInteger(target) || target < 0)) {
    throw new DeltaError('DELTA_INVALID_ARGUMENT', `invalid version ${target}: versions are integers from 0`);
  }
  const listing = await listFromHint(store, target);
  const segment = buildLogSegment(listing, target, store.root);
  return replaySegment(store, engine, segment);
}

/** Lists the log from the `_last_checkpoint` hint when it can serve the target, else from the start. */
async function listFromHint(store: ObjectStore, target: number | undefined): Promise<LogListing> {
  const hint = await readLastCheckpointHint(store);
  if (hint !== undefined && (target === undefined || target >= hint)) {
    const partial = await listLog(store, hint);
    // The hint is only a hint: use it if its checkpoint is really there and complete.
    if (partial.checkpoints.some((c) => c.version === hint)) return partial;
  }
  return listLog(store);
}

async function replaySegment(store: ObjectStore, engine: Engine, segment: LogSegment): Promise<Snapshot> {
  const state = emptyState();
  const commitsPromise = readCommits(store, segment.commits);
  if (segment.checkpoint) {
    const actions = await readCheckpoint(store, engine, segment.checkpoint);
    applyActions(state, actions, true);
    if (!state.protocol || !state.metadata) {
      throw new DeltaError(
        'DELTA_STATE_RECONSTRUCTION',
        `${store.root}: checkpoint at version ${segment.checkpoint.version} has no ${state.protocol ? 'metaData' : 'protocol'} action`,
      );
    }
  }
  const commits = await commitsPromise;
  let timestamp = segment.lastModified;
  for (const c of commits) {
    applyActions(state, c.actions);
    const ict = c.actions.find((a) => a.commitInfo)?.commitInfo?.inCommitTimestamp;
    timestamp = typeof ict === 'number' ? ict : c.lastModified;
  }
  return finish(store, state, segment, timestamp);
}

function finish(store: ObjectStore, state: TableState, segment: LogSegment, timestamp: number): Snapshot {
  if (!state.protocol) throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `${store.root}: no protocol action found at version ${segment.version}`);
  if (!state.metadata) throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `${store.root}: no metaData action found at version ${segment.version}`);
  assertReadable(state.protocol, store.root);
  return new Snapshot(store.root, segment.version, timestamp, state, segment);
}

export interface ReadCommit extends CommitFile {
  readonly actions: Action[];
}

/** Reads commit files in parallel, keeping their order. */
export async function readCommits(store: ObjectStore, commits: readonly CommitFile[]): Promise<ReadCommit[]> {
  return Promise.all(
    commits.map(async (c) => {
      const bytes = await storageCall(`read ${store.root}/${c.key}`, () => store.get(c.key));
      return { ...c, actions: parseActions(bytes, `${store.root}/${c.key}`) };
    }),
  );
}

/** A snapshot moved forward by commits that follow it (as read after a lost commit race). */
export function advanceSnapshot(store: ObjectStore, base: Snapshot, commits: readonly ReadCommit[]): Snapshot {
  const state = copyState(base.internalState());
  let timestamp = base.timestamp;
  for (const c of commits) {
    applyActions(state, c.actions);
    const ict = c.actions.find((a) => a.commitInfo)?.commitInfo?.inCommitTimestamp;
    timestamp = typeof ict === 'number' ? ict : c.lastModified;
  }
  const last = commits.at(-1);
  const segment: LogSegment = last
    ? { version: last.version, checkpoint: base.segment.checkpoint, commits: [...base.segment.commits, ...commits], lastModified: last.lastModified }
    : base.segment;
  return finish(store, state, segment, timestamp);
}

/** The latest version whose commit timestamp is at or before the instant. */
export async function versionAtTimestamp(store: ObjectStore, at: Date | string | number): Promise<number> {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) throw new DeltaError('DELTA_INVALID_ARGUMENT', `invalid timestamp ${JSON.stringify(at)}: use ISO 8601`);
  const { commits } = await listLog(store);
  if (commits.length === 0) throw new DeltaError('DELTA_TABLE_NOT_FOUND', `${store.root}: no Delta table (no commit in _delta_log)`);
  const times = await commitTimestamps(store, commits);
  let found: number | undefined;
  for (let i = 0; i < commits.length; i++) if ((times[i] as number) <= ms) found = (commits[i] as CommitFile).version;
  if (found === undefined) {
    throw new DeltaError(
      'DELTA_VERSION_NOT_FOUND',
      `${store.root}: no version at or before ${new Date(ms).toISOString()} (the first commit is at ${new Date(times[0] as number).toISOString()})`,
    );
  }
  return found;
}

/**
 * Commit timestamps, made monotonic as Delta does: a commit is never earlier than the one before it
 * (file times can go backwards when files are copied). In-commit timestamps win when present.
 */
export async function commitTimestamps(store: ObjectStore, commits: readonly CommitFile[]): Promise<number[]> {
  const ictEnabledFrom = await inCommitTimestampStart(store, commits);
  const raw = await Promise.all(
    commits.map(async (c) => {
      if (ictEnabledFrom === undefined || c.version < ictEnabledFrom) return c.lastModified;
      const actions = parseActions(await store.get(c.key), c.key);
      const ict = actions.find((a) => a.commitInfo)?.commitInfo?.inCommitTimestamp;
      return typeof ict === 'number' ? ict : c.lastModified;
    }),
  );
  for (let i = 1; i < raw.length; i++) if ((raw[i] as number) <= (raw[i - 1] as number)) raw[i] = (raw[i - 1] as number) + 1;
  return raw;
}

async function inCommitTimestampStart(store: ObjectStore, commits: readonly CommitFile[]): Promise<number | undefined> {
  const last = commits.at(-1);
  if (!last) return undefined;
  const actions = parseActions(await store.get(last.key), last.key);
  const ict = actions.find((a) => a.commitInfo)?.commitInfo?.inCommitTimestamp;
  return typeof ict === 'number' ? 0 : undefined;
}
