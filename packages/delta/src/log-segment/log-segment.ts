import type { ObjectMeta, ObjectStore } from '@strata/storage';
import { DeltaError } from '../errors.ts';
import { storageCall } from '../io/storage-call.ts';
import { LOG_DIR, classifyLogFile, lastCheckpointKey, padVersion } from './file-names.ts';

export interface CommitFile {
  readonly version: number;
  readonly key: string;
  readonly lastModified: number;
}

export interface CheckpointFiles {
  readonly version: number;
  /** Keys of every part, in part order (one key for single-file and v2 checkpoints). */
  readonly keys: readonly string[];
  readonly format: 'parquet' | 'json';
}

/** The files needed to reconstruct a table at one version: a checkpoint (if any) plus the commits after it. */
export interface LogSegment {
  readonly version: number;
  readonly checkpoint?: CheckpointFiles;
  /** Commits after the checkpoint up to and including `version`, oldest first, contiguous. */
  readonly commits: readonly CommitFile[];
  /** Modification time of the commit at `version` (or of the checkpoint when no commit file is left). */
  readonly lastModified: number;
}

/** Everything a listing of `_delta_log/` says, grouped by version. */
export interface LogListing {
  readonly commits: readonly CommitFile[];
  readonly checkpoints: readonly CheckpointFiles[];
}

/** Lists `_delta_log/`, optionally only files after a version (used with the `_last_checkpoint` hint). */
export async function listLog(store: ObjectStore, fromVersion?: number): Promise<LogListing> {
  const startAfter = fromVersion === undefined || fromVersion <= 0 ? undefined : `${LOG_DIR}/${padVersion(fromVersion - 1)}.~`;
  const objects = await storageCall(`list ${store.root}/${LOG_DIR}`, () => store.list(`${LOG_DIR}/`, { startAfter }));
  return groupListing(objects);
}

function groupListing(objects: readonly ObjectMeta[]): LogListing {
  const commits: CommitFile[] = [];
  const parts = new Map<string, { version: number; parts: number; format: 'parquet' | 'json'; keys: (string | undefined)[] }>();
  for (const o of objects) {
    const name = o.key.slice(LOG_DIR.length + 1);
    if (name.includes('/')) continue;
    const f = classifyLogFile(name);
    if (f.kind === 'commit') commits.push({ version: f.version, key: o.key, lastModified: o.lastModified });
    else if (f.kind === 'checkpoint') {
      const id = `${f.version}/${f.parts}/${f.uuid ?? ''}`;
      const entry = parts.get(id) ?? { version: f.version, parts: f.parts, format: f.format, keys: new Array(f.parts) };
      entry.keys[f.part - 1] = o.key;
      parts.set(id, entry);
    }
  }
  const checkpoints: CheckpointFiles[] = [];
  for (const e of parts.values()) {
    // Only complete checkpoints count: a multi-part checkpoint with a missing part is ignored.
    if (e.keys.every((k) => k !== undefined)) checkpoints.push({ version: e.version, keys: e.keys as string[], format: e.format });
  }
  commits.sort((a, b) => a.version - b.version);
  // Prefer classic/multi-part parquet over UUID-named ones at the same version only by stable order.
  checkpoints.sort((a, b) => a.version - b.version || a.keys.length - b.keys.length);
  return { commits, checkpoints };
}

/** Reads the `_last_checkpoint` hint; any problem with it just means "no hint". */
export async function readLastCheckpointHint(store: ObjectStore): Promise<number | undefined> {
  try {
    const bytes = await store.get(lastCheckpointKey);
    const v = (JSON.parse(new TextDecoder().decode(bytes)) as { version?: unknown }).version;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the log segment for `target` (latest when undefined) from a listing: the newest complete
 * checkpoint at or below the target, then contiguous commits up to the target.
 */
export function buildLogSegment(listing: LogListing, target: number | undefined, where: string): LogSegment {
  const { commits, checkpoints } = listing;
  const latestCommit = commits.at(-1)?.version;
  const latestCheckpoint = checkpoints.at(-1)?.version;
  const latest = Math.max(latestCommit ?? -1, latestCheckpoint ?? -1);
  if (latest < 0) throw new DeltaError('DELTA_TABLE_NOT_FOUND', `${where}: no Delta table (no commit in _delta_log)`);
  const version = target ?? latest;
  if (version > latest || version < 0) {
    throw new DeltaError('DELTA_VERSION_NOT_FOUND', `${where}: version ${version} does not exist (latest is ${latest})`);
  }
  const checkpoint = [...checkpoints].reverse().find((c) => c.version <= version);
  const from = checkpoint ? checkpoint.version + 1 : 0;
  const needed = commits.filter((c) => c.version >= from && c.version <= version);
  let expected = from;
  for (const c of needed) {
    if (c.version !== expected) {
      throw new DeltaError(
        'DELTA_VERSIONS_NOT_CONTIGUOUS',
        `${where}: versions are not contiguous: expected commit ${expected}, found ${c.version} (missing ${padVersion(expected)}.json)`,
      );
    }
    expected++;
  }
  if (expected !== version + 1) {
    if (!checkpoint && needed.length === 0) {
      throw new DeltaError('DELTA_VERSION_NOT_FOUND', `${where}: version ${version} cannot be reconstructed: its commits were removed and no checkpoint covers it`);
    }
    throw new DeltaError('DELTA_VERSIONS_NOT_CONTIGUOUS', `${where}: versions are not contiguous: commit ${expected} is missing`);
  }
  const atVersion = commits.find((c) => c.version === version);
  return { version, checkpoint, commits: needed, lastModified: atVersion?.lastModified ?? 0 };
}
