import type { Action, Add } from '../actions/index.ts';
import { DeltaError } from '../errors.ts';
import type { ParsedPredicate } from '../expressions/predicate.ts';
import type { SkippingContext } from '../expressions/skipping.ts';
import { mayMatch } from '../expressions/skipping.ts';
import { fileKey } from '../log-replay/replay.ts';
import type { ReadCommit } from '../snapshot/load.ts';

/** What a transaction read, for checking it against commits that won the race (WriteSerializable). */
export interface ReadSet {
  /** The transaction read every file of the table (no predicate). */
  readonly wholeTable: boolean;
  /** The predicates it read with; files added by others matching one of them conflict. */
  readonly predicates: readonly ParsedPredicate[];
  /** Replay keys of the files it read (and may remove). */
  readonly files: ReadonlySet<string>;
  /** Application ids whose `txn` version it read. */
  readonly appIds: ReadonlySet<string>;
}

export interface OwnChanges {
  readonly removedKeys: ReadonlySet<string>;
  readonly changesMetadata: boolean;
  readonly changesProtocol: boolean;
}

/**
 * Checks one winning commit against this transaction with Delta's rules: protocol or metadata
 * changes conflict; files added by a non-blind-append commit conflict when they match what we read;
 * files we read or remove that the winner removed conflict; the same `txn` appId conflicts.
 * Concurrent blind appends never conflict with us.
 */
export function checkConflicts(winner: ReadCommit, read: ReadSet, own: OwnChanges, ctx: SkippingContext, where: string): void {
  const actions = winner.actions;
  const info = actions.find((a) => a.commitInfo)?.commitInfo;
  const fail = (why: string): never => {
    throw new DeltaError(
      'DELTA_CONCURRENT_MODIFICATION',
      `${where}: concurrent commit ${winner.version}${info?.operation ? ` (${info.operation})` : ''} conflicts: ${why}`,
    );
  };
  if (actions.some((a) => a.protocol)) fail('it changed the protocol');
  if (actions.some((a) => a.metaData)) fail('it changed the table metadata (schema, partitioning or properties)');
  for (const a of actions) {
    if (a.txn && read.appIds.has(a.txn.appId)) fail(`it committed for the same application id "${a.txn.appId}"`);
  }
  const blindAppend = info?.isBlindAppend === true;
  const readsData = read.wholeTable || read.predicates.length > 0 || read.files.size > 0;
  if (readsData && !blindAppend) {
    const added = actions.filter((a): a is Action & { add: Add } => !!a.add && a.add.dataChange !== false).map((a) => a.add);
    for (const add of added) {
      if (read.wholeTable || read.predicates.some((p) => mayMatch(p.tree, add, ctx))) {
        fail(`it added ${add.path}, which matches data this transaction read`);
      }
    }
  }
  for (const a of actions) {
    if (!a.remove) continue;
    const key = fileKey(a.remove);
    if (own.removedKeys.has(key)) fail(`both transactions removed ${a.remove.path}`);
    if (read.files.has(key)) fail(`it removed ${a.remove.path}, which this transaction read`);
  }
}
