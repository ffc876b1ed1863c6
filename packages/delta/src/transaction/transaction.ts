import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '@strata/storage';
import { isStorageError } from '@strata/storage';
import type { Action, Add, CommitInfo, Metadata, Protocol, Remove } from '../actions/index.ts';
import { serializeActions } from '../actions/index.ts';
import { DeltaError } from '../errors.ts';
import type { ParsedPredicate } from '../expressions/predicate.ts';
import { fileKey } from '../log-replay/replay.ts';
import { commitKey } from '../log-segment/file-names.ts';
import { listLog } from '../log-segment/log-segment.ts';
import { assertWritable } from '../protocol/features.ts';
import { parseSchema } from '../schema/index.ts';
import { advanceSnapshot, readCommits } from '../snapshot/load.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { VERSION } from '../version.ts';
import { checkConflicts } from './conflict-checker.ts';

export interface CommitResult {
  readonly version: number;
  /** Number of lost races that were checked and retried. */
  readonly attempts: number;
}

export interface TransactionOptions {
  readonly maxAttempts?: number;
}

/**
 * One optimistic Delta transaction. Stage actions, record what was read, then `commit`: the commit
 * file is created with put-if-absent at readVersion + 1; on a lost race the winning commits are
 * checked with Delta's conflict rules and, if compatible, the same actions are committed at the
 * next version without rewriting any data.
 */
export class Transaction {
  private readonly adds: Add[] = [];
  private readonly removes: Remove[] = [];
  private metadata?: Metadata;
  private protocol?: Protocol;
  private txnId?: { appId: string; version: number };
  private readonly read = { wholeTable: false, predicates: [] as ParsedPredicate[], files: new Set<string>(), appIds: new Set<string>() };
  private committed = false;
  /** Identifies this transaction's commit, so a retried put that did land is recognised as ours. */
  private readonly txnUuid = randomUUID();

  constructor(
    private readonly store: ObjectStore,
    /** The snapshot read; undefined when the transaction creates the table. */
    readonly snapshot: Snapshot | undefined,
    private readonly operation: string,
    private readonly operationParameters: Record<string, unknown> = {},
    private readonly options: TransactionOptions = {},
  ) {}

  get readVersion(): number {
    return this.snapshot?.version ?? -1;
  }

  addFiles(adds: readonly Add[]): void {
    this.adds.push(...adds);
  }

  /** Removes files of the read snapshot (their current actions, with deletion vectors). */
  removeFiles(files: readonly Add[], dataChange = true): void {
    const now = Date.now();
    for (const f of files) {
      this.removes.push({
        path: f.path,
        deletionTimestamp: now,
        dataChange,
        extendedFileMetadata: true,
        partitionValues: f.partitionValues,
        size: f.size,
        ...(f.stats ? { stats: f.stats } : {}),
        ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}),
      });
      this.read.files.add(fileKey(f));
    }
  }

  setMetadata(metadata: Metadata): void {
    this.metadata = metadata;
  }

  setProtocol(protocol: Protocol): void {
    this.protocol = protocol;
  }

  /** Records an idempotent-write marker: this commit is version `version` of application `appId`. */
  setTxn(appId: string, version: number): void {
    this.txnId = { appId, version };
    this.read.appIds.add(appId);
  }

  readWholeTable(): void {
    this.read.wholeTable = true;
  }

  /** Records files read without a predicate (e.g. compaction): their concurrent removal conflicts. */
  readFiles(files: readonly Add[]): void {
    for (const f of files) this.read.files.add(fileKey(f));
  }

  readPredicate(predicate: ParsedPredicate, files: readonly Add[]): void {
    this.read.predicates.push(predicate);
    for (const f of files) this.read.files.add(fileKey(f));
  }

  get isBlindAppend(): boolean {
    return this.removes.length === 0 && !this.read.wholeTable && this.read.predicates.length === 0 && this.read.files.size === 0;
  }

  /**
   * Commits the staged actions. An aborted `signal` stops the commit before the commit file is
   * written (the data files stay orphans for vacuum): a canceled run never commits late.
   */
  async commit(metrics: Record<string, number> = {}, signal?: AbortSignal): Promise<CommitResult> {
    if (this.committed) throw new DeltaError('DELTA_INVALID_ARGUMENT', 'a transaction can be committed only once');
    this.committed = true;
    const where = this.store.root;
    this.checkWritable(where);
    const maxAttempts = this.options.maxAttempts ?? 200;
    let base = this.snapshot;
    let version = this.readVersion + 1;
    for (let attempt = 1; ; attempt++) {
      const bytes = serializeActions(this.actions(version, metrics));
      signal?.throwIfAborted();
      try {
        await this.store.putIfAbsent(commitKey(version), bytes);
        return { version, attempts: attempt };
      } catch (e) {
        if (!isStorageError(e, 'STORAGE_EXISTS')) {
          throw new DeltaError('DELTA_STORAGE', `${where}: cannot write commit ${version}: ${(e as Error).message}`, {
            cause: e,
            retryable: isStorageError(e) ? e.retryable : false,
          });
        }
      }
      if (!base) throw new DeltaError('DELTA_TABLE_EXISTS', `${where}: a table was created concurrently at this location`);
      if (attempt >= maxAttempts) {
        throw new DeltaError('DELTA_CONCURRENT_MODIFICATION', `${where}: gave up after ${attempt} lost commit races`);
      }
      const winners = await this.winningCommits(version);
      // A put retried after a lost reply finds its own commit already there.
      if (winners[0]?.actions.some((a) => a.commitInfo?.txnId === this.txnUuid)) return { version, attempts: attempt };
      const ctx = { fields: base.schema.fields, partitionColumns: base.partitionColumns, mapping: base.columnMapping };
      const own = {
        removedKeys: new Set(this.removes.map((r) => fileKey(r))),
        changesMetadata: !!this.metadata,
        changesProtocol: !!this.protocol,
      };
      for (const w of winners) checkConflicts(w, this.read, own, ctx, where);
      base = advanceSnapshot(this.store, base, winners);
      version = base.version + 1;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * attempt)));
    }
  }

  private async winningCommits(from: number) {
    const listing = await listLog(this.store, from);
    const commits = listing.commits.filter((c) => c.version >= from);
    let expected = from;
    for (const c of commits) {
      if (c.version !== expected) break;
      expected++;
    }
    return readCommits(this.store, commits.slice(0, expected - from));
  }

  private checkWritable(where: string): void {
    const protocol = this.protocol ?? this.snapshot?.protocol;
    const metadata = this.metadata ?? this.snapshot?.metadata;
    if (!protocol || !metadata) throw new DeltaError('DELTA_TABLE_NOT_FOUND', `${where}: no Delta table to write to`);
    assertWritable(protocol, metadata, parseSchema(metadata.schemaString), where);
    if (metadata.configuration['delta.appendOnly'] === 'true' && this.removes.some((r) => r.dataChange)) {
      throw new DeltaError(
        'DELTA_APPEND_ONLY',
        `${where}: the table is append-only (delta.appendOnly=true); ${this.operation} would remove data`,
      );
    }
  }

  private actions(version: number, metrics: Record<string, number>): Action[] {
    const commitInfo: CommitInfo = {
      timestamp: Date.now(),
      operation: this.operation,
      operationParameters: this.operationParameters,
      ...(this.readVersion >= 0 ? { readVersion: this.readVersion } : {}),
      isolationLevel: 'WriteSerializable',
      isBlindAppend: this.isBlindAppend,
      operationMetrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, String(v)])),
      engineInfo: `strata/${VERSION}`,
      txnId: this.txnUuid,
    };
    const out: Action[] = [{ commitInfo }];
    if (this.protocol) out.push({ protocol: this.protocol });
    if (this.metadata) out.push({ metaData: this.metadata });
    if (this.txnId) out.push({ txn: { ...this.txnId, lastUpdated: Date.now() } });
    for (const r of this.removes) out.push({ remove: r });
    for (const a of this.adds) out.push({ add: a });
    return out;
  }
}
