import { randomUUID } from 'node:crypto';
import { rename } from 'node:fs/promises';
import type { ObjectStore } from '@strata/storage';
import { isStorageError, openStore } from '@strata/storage';
import type { Engine } from './engine/index.ts';
import { DuckDbEngine, str } from './engine/index.ts';
import { DeltaError, isDeltaError } from './errors.ts';
import { parsePredicate } from './expressions/predicate.ts';
import { listLog } from './log-segment/log-segment.ts';
import { checkpointInterval, writeCheckpoint } from './operations/checkpoint.ts';
import type { TableContext } from './operations/context.ts';
import type { MutationResult } from './operations/delete.ts';
import { assertColumnsExist, deleteRows } from './operations/delete.ts';
import type { HistoryEntry } from './operations/history.ts';
import { history } from './operations/history.ts';
import type { MergeOptions, MergeResult } from './operations/merge.ts';
import { mergeRows } from './operations/merge.ts';
import type { OptimizeOptions, OptimizeResult } from './operations/optimize.ts';
import { optimize } from './operations/optimize.ts';
import { updateRows } from './operations/update.ts';
import type { VacuumOptions, VacuumResult } from './operations/vacuum.ts';
import { vacuum } from './operations/vacuum.ts';
import type { WriteOptions, WriteResult } from './operations/write.ts';
import { write } from './operations/write.ts';
import { buildScanSql, selectFiles } from './scan/scan.ts';
import type { SnapshotOptions } from './snapshot/load.ts';
import { advanceSnapshot, loadSnapshot, readCommits } from './snapshot/load.ts';
import type { Snapshot } from './snapshot/snapshot.ts';

export interface OpenOptions {
  /** Engine to use; when omitted the table creates its own and `close()` closes it. */
  readonly engine?: Engine;
}

export interface ReadOptions extends SnapshotOptions {
  readonly columns?: readonly string[];
  /** SQL predicate over the table's columns; used for data skipping and applied to the rows. */
  readonly where?: string;
}

export interface TableDescription {
  readonly location: string;
  readonly version: number;
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly schema: Snapshot['schema'];
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly protocol: Snapshot['protocol'];
  readonly numFiles: number;
  readonly sizeInBytes: number;
  readonly numRecords?: number;
  readonly createdTime?: number | null;
  readonly lastCommitTimestamp: number;
}

/**
 * A Delta table at a location (local folder or `s3://bucket/prefix`). Every write is one atomic
 * Delta commit with optimistic concurrency; reads see one consistent version.
 */
export class DeltaTable {
  private latest?: Snapshot;

  private constructor(
    readonly store: ObjectStore,
    readonly engine: Engine,
    private readonly ownsEngine: boolean,
  ) {}

  static async open(location: string | ObjectStore, options: OpenOptions = {}): Promise<DeltaTable> {
    const store = typeof location === 'string' ? openStore(location) : location;
    const engine = options.engine ?? (await DuckDbEngine.create());
    return new DeltaTable(store, engine, options.engine === undefined);
  }

  /**
   * The same table on another engine session, starting from this one's cached snapshot (so the
   * session does not replay the log again). The copy keeps its own cache from then on.
   */
  withEngine(engine: Engine): DeltaTable {
    const t = new DeltaTable(this.store, engine, false);
    t.latest = this.latest;
    return t;
  }

  /** Adopts a newer snapshot another session of this table loaded. */
  adopt(other: DeltaTable): void {
    if (other.latest && (!this.latest || other.latest.version > this.latest.version)) this.latest = other.latest;
  }

  get location(): string {
    return this.store.root;
  }

  private get ctx(): TableContext {
    return { store: this.store, engine: this.engine };
  }

  /** True when the location holds a Delta table; a table that cannot be read fails with its error. */
  async exists(): Promise<boolean> {
    return (await this.snapshotOrNone()) !== undefined;
  }

  /**
   * The table at a version, at a timestamp, or the latest. The latest snapshot is kept and brought
   * up to date by reading only the commits made since, so repeated reads and writes do not replay
   * the checkpoint each time.
   */
  async snapshot(options: SnapshotOptions = {}): Promise<Snapshot> {
    const cached = this.latest;
    if (cached && options.timestamp === undefined) {
      if (options.version === cached.version) return cached;
      if (options.version === undefined) {
        const fresh = await this.refresh(cached);
        if (fresh) return (this.latest = fresh);
      }
    }
    const snapshot = await loadSnapshot(this.store, this.engine, options);
    if (options.version === undefined && options.timestamp === undefined) this.latest = snapshot;
    return snapshot;
  }

  /**
   * The cached snapshot advanced by the commits made since, or undefined when it cannot be (a gap
   * in the listing). A table's log only grows, so a cached version stays valid.
   */
  private async refresh(cached: Snapshot): Promise<Snapshot | undefined> {
    const { commits } = await listLog(this.store, cached.version + 1);
    const newer = commits.filter((c) => c.version > cached.version);
    if (newer.length === 0) return cached;
    if (newer.some((c, i) => c.version !== cached.version + 1 + i)) return undefined;
    return advanceSnapshot(this.store, cached, await readCommits(this.store, newer));
  }

  /**
   * A self-contained DuckDB query returning the table's rows at a version (latest by default).
   * Files that cannot match `where` are skipped using partition values and statistics.
   */
  async scanSql(options: ReadOptions = {}): Promise<string> {
    const snapshot = await this.snapshot(options);
    return this.scanSqlOf(snapshot, options);
  }

  /**
   * SQL reading the rows of the data files added after `version` (-1: all of them) and still in
   * the latest version: for an append-only table, exactly the rows appended since.
   */
  async addedSinceSql(version: number): Promise<string> {
    const latest = await this.snapshot();
    const before = version >= 0 ? new Set((await this.snapshot({ version })).files.map((f) => f.path)) : new Set<string>();
    return buildScanSql(this.store, this.engine, latest, latest.files.filter((f) => !before.has(f.path)));
  }

  /** Like `scanSql`, for a snapshot already loaded; also tells how many files were skipped. */
  async scanSqlOf(snapshot: Snapshot, options: ReadOptions = {}): Promise<string> {
    const predicate = options.where ? await parsePredicate(this.engine, options.where) : undefined;
    if (predicate) assertColumnsExist(snapshot, predicate.columns, options.where as string);
    const files = selectFiles(snapshot, predicate);
    return buildScanSql(this.store, this.engine, snapshot, files, { columns: options.columns, predicate });
  }

  /** Reads rows into JavaScript values; for small results (tests, previews). */
  async read<T extends Record<string, unknown> = Record<string, unknown>>(options: ReadOptions & { orderBy?: string } = {}): Promise<T[]> {
    const sql = await this.scanSql(options);
    return this.engine.query<T>(`SELECT * FROM (${sql})${options.orderBy ? ` ORDER BY ${options.orderBy}` : ''}`);
  }

  /** Writes the table's rows (at a version or timestamp) to one local Parquet file, partition columns included. */
  async exportParquet(outFile: string, options: SnapshotOptions = {}): Promise<{ version: number; rows: number }> {
    const snapshot = await this.snapshot(options);
    const sql = await this.scanSqlOf(snapshot);
    const tmp = `${outFile}.${randomUUID()}.tmp`;
    await this.engine.exec(`COPY (${sql}) TO ${str(tmp)} (FORMAT parquet, COMPRESSION snappy)`);
    await rename(tmp, outFile);
    const [row] = await this.engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet(${str(outFile)})`);
    return { version: snapshot.version, rows: row?.n ?? 0 };
  }

  /**
   * Writes the rows of an SQL query (create, append, overwrite, replaceWhere); see WriteOptions.
   * A write that loses the race to create the table is retried, in its own mode, on the new table.
   */
  async write(sourceSql: string, options: WriteOptions = {}): Promise<WriteResult> {
    const snapshot = await this.snapshotOrNone();
    try {
      return await this.afterCommit(snapshot, await write(this.ctx, snapshot, sourceSql, options));
    } catch (e) {
      if (snapshot || !isDeltaError(e, 'DELTA_TABLE_EXISTS')) throw e;
      const created = await this.snapshot();
      return this.afterCommit(created, await write(this.ctx, created, sourceSql, options));
    }
  }

  async delete(where?: string): Promise<MutationResult> {
    const snapshot = await this.snapshot();
    return this.afterCommit(snapshot, await deleteRows(this.ctx, snapshot, where));
  }

  async update(set: Readonly<Record<string, string>>, where?: string): Promise<MutationResult> {
    const snapshot = await this.snapshot();
    return this.afterCommit(snapshot, await updateRows(this.ctx, snapshot, set, where));
  }

  async merge(sourceSql: string, options: MergeOptions): Promise<MergeResult> {
    const snapshot = await this.snapshot();
    return this.afterCommit(snapshot, await mergeRows(this.ctx, snapshot, sourceSql, options));
  }

  async optimize(options: OptimizeOptions = {}): Promise<OptimizeResult> {
    const snapshot = await this.snapshot();
    return this.afterCommit(snapshot, await optimize(this.ctx, snapshot, options));
  }

  async vacuum(options: VacuumOptions = {}): Promise<VacuumResult> {
    return vacuum(this.ctx, await this.snapshot(), options);
  }

  /** Writes a checkpoint of the latest version now. */
  async checkpoint(): Promise<{ version: number; key: string }> {
    return writeCheckpoint(this.ctx, await this.snapshot());
  }

  history(limit?: number): Promise<HistoryEntry[]> {
    return history(this.ctx, limit);
  }

  async describe(options: SnapshotOptions = {}): Promise<TableDescription> {
    const s = await this.snapshot(options);
    return {
      location: this.location,
      version: s.version,
      id: s.metadata.id,
      name: s.metadata.name,
      description: s.metadata.description,
      schema: s.schema,
      partitionColumns: s.partitionColumns,
      configuration: s.configuration,
      protocol: s.protocol,
      numFiles: s.files.length,
      sizeInBytes: s.sizeInBytes,
      numRecords: s.numRecords,
      createdTime: s.metadata.createdTime,
      lastCommitTimestamp: s.timestamp,
    };
  }

  async close(): Promise<void> {
    if (this.ownsEngine) await this.engine.close();
  }

  private async snapshotOrNone(): Promise<Snapshot | undefined> {
    try {
      return await this.snapshot();
    } catch (e) {
      if (isDeltaError(e, 'DELTA_TABLE_NOT_FOUND')) return undefined;
      throw e;
    }
  }

  /**
   * Checkpoints every `delta.checkpointInterval` commits (the interval as of the snapshot the
   * operation read). A failed checkpoint never fails the write that triggered it.
   */
  private async afterCommit<R extends { committed: boolean; version: number }>(read: Snapshot | undefined, result: R): Promise<R> {
    const { version } = result;
    if (!result.committed || version === 0 || version % checkpointInterval(read?.configuration ?? {}) !== 0) return result;
    try {
      await writeCheckpoint(this.ctx, await this.snapshot({ version }));
    } catch (e) {
      if (e instanceof DeltaError || isStorageError(e)) {
        process.emitWarning(`checkpoint of ${this.location} at version ${version} failed: ${(e as Error).message}`);
        return result;
      }
      throw e;
    }
    return result;
  }
}

