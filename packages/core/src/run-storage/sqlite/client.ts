import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { runExists, runNotFound } from '../errors.ts';
import { checkCount, checkDate, checkEvents, checkPatch, checkRecord, checkRun, eventsByRun, runAssetKeys } from '../records.ts';
import type {
  CheckResultRecord,
  MaterializationRecord,
  RunEvent,
  RunFilter,
  RunPatch,
  RunRecord,
  RunStorage,
} from '../types.ts';
import { resolveConfig } from './config.ts';
import type { SqliteRunStorageConfig } from './config.ts';
import { closed, fromSqliteError } from './errors.ts';
import {
  checkResultParams,
  eventParams,
  materializationParams,
  runParams,
  toCheckResult,
  toEvent,
  toMaterialization,
  toRun,
} from './rows.ts';
import type { CheckResultRow, EventRow, MaterializationRow, RunRow } from './rows.ts';
import { migrate } from './schema.ts';

const NO_LIMIT = -1;

/**
 * Run storage in a SQLite database file (the embedded default), through better-sqlite3. Opening
 * creates or migrates the schema; the database runs in WAL mode so readers do not block the writer.
 * Several processes may share the file: writes take SQLite's write lock and wait up to `busyTimeoutMs`.
 */
export class SqliteRunStorage implements RunStorage {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private isClosed = false;

  constructor(config: SqliteRunStorageConfig) {
    const { path, busyTimeoutMs } = resolveConfig(config);
    this.path = path;
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: busyTimeoutMs });
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL cannot corrupt the database; a power loss may drop the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
    } catch (e) {
      db?.close();
      throw fromSqliteError(e, path, 'open the database');
    }
    this.db = db;
  }

  async createRun(run: RunRecord): Promise<void> {
    checkRun(run);
    this.write('create a run', () => {
      const inserted = this.sql(
        `INSERT INTO runs (run_id, status, trigger, selection, steps, created_at, started_at, ended_at, parent_run_id, tags, error)
         VALUES (@run_id, @status, @trigger, @selection, @steps, @created_at, @started_at, @ended_at, @parent_run_id, @tags, @error)
         ON CONFLICT (run_id) DO NOTHING`,
      ).run(runParams(run));
      if (inserted.changes === 0) throw runExists(run.runId);
      const addAsset = this.sql('INSERT INTO run_assets (asset_key, run_id) VALUES (?, ?)');
      for (const key of runAssetKeys(run.steps)) addAsset.run(key, run.runId);
    });
  }

  async updateRun(runId: string, patch: RunPatch): Promise<RunRecord> {
    checkPatch(patch);
    const row = this.write('update a run', () =>
      this.sql(
        `UPDATE runs SET status = COALESCE(@status, status), started_at = COALESCE(@started_at, started_at),
           ended_at = COALESCE(@ended_at, ended_at), error = COALESCE(@error, error)
         WHERE run_id = @run_id RETURNING *`,
      ).get({
        run_id: runId,
        status: patch.status ?? null,
        started_at: patch.startedAt?.getTime() ?? null,
        ended_at: patch.endedAt?.getTime() ?? null,
        error: patch.error ?? null,
      }),
    ) as RunRow | undefined;
    if (!row) throw runNotFound(runId);
    return toRun(row);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.read('read a run', () => this.sql('SELECT * FROM runs WHERE run_id = ?').get(runId)) as RunRow | undefined;
    return row && toRun(row);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    checkCount('limit', filter.limit);
    const rows = this.read('list runs', () => {
      const where = new Conditions();
      if (filter.before !== undefined) {
        const boundary = this.sql('SELECT created_at, run_id FROM runs WHERE run_id = ?').get(filter.before) as RunRow | undefined;
        if (!boundary) throw runNotFound(filter.before);
        where.add('(created_at < ? OR (created_at = ? AND run_id < ?))', boundary.created_at, boundary.created_at, boundary.run_id);
      }
      if (filter.status !== undefined) where.add('status = ?', filter.status);
      if (filter.trigger !== undefined) where.add('trigger = ?', filter.trigger);
      if (filter.assetKey !== undefined) where.add('run_id IN (SELECT run_id FROM run_assets WHERE asset_key = ?)', filter.assetKey);
      return this.sql(`SELECT * FROM runs ${where.sql()} ORDER BY created_at DESC, run_id DESC LIMIT ?`).all(
        ...where.params,
        filter.limit ?? NO_LIMIT,
      ) as RunRow[];
    });
    return rows.map(toRun);
  }

  async appendEvents(events: readonly RunEvent[]): Promise<void> {
    checkEvents(events);
    if (events.length === 0) return;
    this.write('append events', () => {
      // Reserving a block of seqs on the run row is atomic: the transaction holds the write lock.
      const reserve = this.sql('UPDATE runs SET last_seq = last_seq + ? WHERE run_id = ? RETURNING last_seq').pluck();
      const insert = this.sql(
        `INSERT INTO events (run_id, seq, occurred_at, type, level, asset_key, partition_key, message, data)
         VALUES (@run_id, @seq, @occurred_at, @type, @level, @asset_key, @partition_key, @message, @data)`,
      );
      for (const [runId, list] of eventsByRun(events)) {
        const last = reserve.get(list.length, runId) as number | undefined;
        if (last === undefined) throw runNotFound(runId);
        list.forEach((e, i) => insert.run(eventParams(e, last - list.length + 1 + i)));
      }
    });
  }

  async events(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    checkCount('afterSeq', options.afterSeq);
    checkCount('limit', options.limit);
    const rows = this.read('read events', () =>
      this.sql('SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(runId, options.afterSeq ?? 0, options.limit ?? NO_LIMIT),
    ) as EventRow[];
    return rows.map(toEvent);
  }

  async addMaterialization(m: MaterializationRecord): Promise<void> {
    checkRecord(m);
    this.write('add a materialization', () =>
      this.sql(
        `INSERT INTO materializations (run_id, asset_key, partition_key, occurred_at, table_version, rows_written, metadata)
         VALUES (@run_id, @asset_key, @partition_key, @occurred_at, @table_version, @rows_written, @metadata)`,
      ).run(materializationParams(m)),
    );
  }

  async latestMaterialization(assetKey: string, partition?: string): Promise<MaterializationRecord | undefined> {
    return (await this.materializations(assetKey, { limit: 1, partition }))[0];
  }

  async materializations(assetKey: string, options: { limit?: number; partition?: string } = {}): Promise<MaterializationRecord[]> {
    checkCount('limit', options.limit);
    const byPartition = options.partition !== undefined;
    const sql = `SELECT * FROM materializations WHERE asset_key = ? ${byPartition ? 'AND partition_key = ?' : ''}
      ORDER BY occurred_at DESC, id DESC LIMIT ?`;
    const params = [assetKey, ...(byPartition ? [options.partition] : []), options.limit ?? NO_LIMIT];
    const rows = this.read('read materializations', () => this.sql(sql).all(...params)) as MaterializationRow[];
    return rows.map(toMaterialization);
  }

  async addCheckResult(r: CheckResultRecord): Promise<void> {
    checkRecord(r);
    this.write('add a check result', () =>
      this.sql(
        `INSERT INTO check_results (run_id, asset_key, partition_key, check_name, occurred_at, passed, severity, table_version, failing_rows, metadata)
         VALUES (@run_id, @asset_key, @partition_key, @check_name, @occurred_at, @passed, @severity, @table_version, @failing_rows, @metadata)`,
      ).run(checkResultParams(r)),
    );
  }

  async checkResults(filter: { assetKey?: string; runId?: string; limit?: number } = {}): Promise<CheckResultRecord[]> {
    checkCount('limit', filter.limit);
    const where = new Conditions();
    if (filter.assetKey !== undefined) where.add('asset_key = ?', filter.assetKey);
    if (filter.runId !== undefined) where.add('run_id = ?', filter.runId);
    const sql = `SELECT * FROM check_results ${where.sql()} ORDER BY occurred_at DESC, id DESC LIMIT ?`;
    const rows = this.read('read check results', () => this.sql(sql).all(...where.params, filter.limit ?? NO_LIMIT)) as CheckResultRow[];
    return rows.map(toCheckResult);
  }

  async getCursor(name: string): Promise<string | undefined> {
    return this.read('read a cursor', () => this.sql('SELECT value FROM cursors WHERE name = ?').pluck().get(name)) as string | undefined;
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.write('set a cursor', () =>
      this.sql(
        `INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ).run(name, value, Date.now()),
    );
  }

  async prune(olderThan: Date): Promise<number> {
    checkDate('olderThan', olderThan);
    // Events and run_assets rows go with their runs (ON DELETE CASCADE); materializations and check results stay.
    return this.write('prune runs', () => this.sql('DELETE FROM runs WHERE ended_at < ?').run(olderThan.getTime()).changes);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.statements.clear();
    this.db.close();
  }

  /** Runs `fn` in a write transaction that takes the write lock up front, so it never fails half-way on a busy lock. */
  private write<T>(action: string, fn: () => T): T {
    return this.read(action, () => this.db.transaction(fn).immediate());
  }

  private read<T>(action: string, fn: () => T): T {
    if (this.isClosed) throw closed(this.path);
    try {
      return fn();
    } catch (e) {
      throw fromSqliteError(e, this.path, action);
    }
  }

  /** A prepared statement, cached by its SQL text; each text is used one way (plucked or not), so sharing is safe. */
  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }
}

/** The WHERE clause of a query, built condition by condition with its parameters. */
class Conditions {
  private readonly clauses: string[] = [];
  readonly params: (string | number)[] = [];

  add(clause: string, ...params: (string | number)[]): void {
    this.clauses.push(clause);
    this.params.push(...params);
  }

  sql(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
