import type { Action, Add, DomainMetadata, Metadata, Protocol, Remove, Txn } from '../actions/index.ts';
import { deletionVectorUniqueId } from '../deletion-vectors/index.ts';

/** Mutable accumulator of table state; frozen into a Snapshot once replay ends. */
export interface TableState {
  protocol?: Protocol;
  metadata?: Metadata;
  /** Active files keyed by (decoded path, deletion-vector id). */
  readonly files: Map<string, Add>;
  /** Tombstones keyed like files; kept for vacuum and conflict checks. */
  readonly tombstones: Map<string, Remove>;
  readonly txns: Map<string, Txn>;
  readonly domains: Map<string, DomainMetadata>;
}

export function emptyState(): TableState {
  return { files: new Map(), tombstones: new Map(), txns: new Map(), domains: new Map() };
}

export function copyState(s: TableState): TableState {
  return {
    protocol: s.protocol,
    metadata: s.metadata,
    files: new Map(s.files),
    tombstones: new Map(s.tombstones),
    txns: new Map(s.txns),
    domains: new Map(s.domains),
  };
}

/** The replay key of a file action: its decoded path plus its deletion vector's unique id. */
export function fileKey(action: { path: string; deletionVector?: Add['deletionVector'] }): string {
  const dv = action.deletionVector ? deletionVectorUniqueId(action.deletionVector) : '';
  return `${decodePath(action.path)}\u0000${dv}`;
}

export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Applies one commit's (or a checkpoint's) actions, in log order, to the state. Applying the log
 * oldest-first from a checkpoint gives the same state as the protocol's newest-first replay for
 * any valid log, and lets a snapshot move forward by applying only new commits.
 */
export function applyActions(state: TableState, actions: readonly Action[], fromCheckpoint = false): void {
  for (const a of actions) {
    if (a.add) {
      const key = fileKey(a.add);
      state.files.set(key, normalizeAdd(a.add));
      state.tombstones.delete(key);
    } else if (a.remove) {
      const key = fileKey(a.remove);
      if (!fromCheckpoint) state.files.delete(key);
      state.tombstones.set(key, a.remove);
    } else if (a.metaData) state.metadata = normalizeMetadata(a.metaData);
    else if (a.protocol) state.protocol = a.protocol;
    else if (a.txn) state.txns.set(a.txn.appId, a.txn);
    else if (a.domainMetadata) {
      if (a.domainMetadata.removed) state.domains.delete(a.domainMetadata.domain);
      else state.domains.set(a.domainMetadata.domain, a.domainMetadata);
    }
  }
}

function normalizeAdd(add: Add): Add {
  // Checkpoints read through Parquet carry explicit nulls for absent optional fields.
  const dv = add.deletionVector;
  if (dv && (dv.offset === null || dv.maxRowIndex === null)) {
    const clean = { ...dv } as Record<string, unknown>;
    if (clean.offset === null) delete clean.offset;
    if (clean.maxRowIndex === null) delete clean.maxRowIndex;
    return { ...add, partitionValues: add.partitionValues ?? {}, deletionVector: clean as unknown as Add['deletionVector'] };
  }
  return add.partitionValues ? add : { ...add, partitionValues: {} };
}

function normalizeMetadata(m: Metadata): Metadata {
  return { ...m, configuration: m.configuration ?? {}, partitionColumns: m.partitionColumns ?? [] };
}
