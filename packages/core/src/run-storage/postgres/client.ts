import { Pool } from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
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
import { maxConnections, redact, schemaName } from './config.ts';
import type { PostgresRunStorageConfig } from './config.ts';
import { closed, fromPgError } from './errors.ts';
import {
  checkResultParams,
  eventColumns,
  materializationParams,
  runParams,
  toCheckResult,
  toEvent,
  toMaterialization,
  toRun,
} from './rows.ts';
import type { CheckResultRow, EventRow, MaterializationRow, RunRow } from './rows.ts';
import { migrate, quoteIdent } from './schema.ts';

/**
 * Run storage in PostgreSQL, through a node-postgres pool, with its tables in one schema of the
 * database. `open` creates or migrates the schema. Appenders on any number of pools and processes
 * get gap-free seqs: each append reserves its block by updating the run's counter row, which
 * PostgreSQL locks until the appending transaction ends.
 */
export class PostgresRunStorage implements RunStorage {
  /** The database (password hidden) and schema, as named in messages. */
  readonly location: string;
  private readonly t: { runs: string; runAssets: string; events: string; materializations: string; checkResults: string; cursors: string };
  private isClosed = false;

  private constructor(
    readonly schema: string,
    connectionString: string,
    private readonly pool: Pool,
  ) {
    this.location = `${redact(connectionString)} (schema ${schema})`;
    const s = quoteIdent(schema);
    this.t = {
      runs: `${s}.runs`,
      runAssets: `${s}.run_assets`,
      events: `${s}.events`,
      materializations: `${s}.materializations`,
      checkResults: `${s}.check_results`,
      cursors: `${s}.cursors`,
    };
  }

  /** Connects, creates or migrates the schema, and returns the storage; fails with CORE_STORAGE when the database cannot be used. */
  static async open(config: PostgresRunStorageConfig): Promise<PostgresRunStorage> {
    const schema = schemaName(config);
    const pool = new Pool({ connectionString: config.connectionString, max: maxConnections(config) });
    // An idle connection that breaks is dropped from the pool and reported here; the next query
    // opens a new one, so there is nothing to do but keep the process alive.
    pool.on('error', () => undefined);
    const storage = new PostgresRunStorage(schema, config.connectionString, pool);
    try {
      await storage.transaction('create or migrate the schema', (c) => migrate(c, schema, storage.location));
    } catch (e) {
      await storage.close();
      throw e;
    }
    return storage;
  }

  async createRun(run: RunRecord): Promise<void> {
    checkRun(run);
    await this.transaction('create a run', async (c) => {
      const inserted = await c.query(
        `INSERT INTO ${this.t.runs} (run_id, status, trigger, selection, steps, created_at, started_at, ended_at, parent_run_id, tags, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (run_id) DO NOTHING`,
        runParams(run),
      );
      if (inserted.rowCount === 0) throw runExists(run.runId);
      await c.query(`INSERT INTO ${this.t.runAssets} (asset_key, run_id) SELECT unnest($1::text[]), $2`, [runAssetKeys(run.steps), run.runId]);
    });
  }

  async updateRun(runId: string, patch: RunPatch): Promise<RunRecord> {
    checkPatch(patch);
    const [row] = await this.query<RunRow>(
      'update a run',
      `UPDATE ${this.t.runs} SET status = COALESCE($2, status), started_at = COALESCE($3, started_at),
         ended_at = COALESCE($4, ended_at), error = COALESCE($5, error)
       WHERE run_id = $1 RETURNING *`,
      [runId, patch.status ?? null, patch.startedAt ?? null, patch.endedAt ?? null, patch.error ?? null],
    );
    if (!row) throw runNotFound(runId);
    return toRun(row);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const [row] = await this.query<RunRow>('read a run', `SELECT * FROM ${this.t.runs} WHERE run_id = $1`, [runId]);
    return row && toRun(row);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    checkCount('limit', filter.limit);
    const where = new Conditions();
    if (filter.before !== undefined) {
      const [boundary] = await this.query<RunRow>('list runs', `SELECT created_at, run_id FROM ${this.t.runs} WHERE run_id = $1`, [filter.before]);
      if (!boundary) throw runNotFound(filter.before);
      where.add(`(created_at, run_id) < (${where.param(boundary.created_at)}, ${where.param(boundary.run_id)})`);
    }
    if (filter.status !== undefined) where.add(`status = ${where.param(filter.status)}`);
    if (filter.trigger !== undefined) where.add(`trigger = ${where.param(filter.trigger)}`);
    if (filter.assetKey !== undefined) where.add(`run_id IN (SELECT run_id FROM ${this.t.runAssets} WHERE asset_key = ${where.param(filter.assetKey)})`);
    const limit = where.param(filter.limit ?? null);
    const rows = await this.query<RunRow>(
      'list runs',
      `SELECT * FROM ${this.t.runs} ${where.sql()} ORDER BY created_at DESC, run_id DESC LIMIT ${limit}`,
      where.params,
    );
    return rows.map(toRun);
  }

  async appendEvents(events: readonly RunEvent[]): Promise<void> {
    checkEvents(events);
    if (events.length === 0) return;
    // Runs are locked in one order, so two appenders to the same runs cannot deadlock.
    const byRun = [...eventsByRun(events)].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    await this.transaction('append events', async (c) => {
      for (const [runId, list] of byRun) {
        const reserved = await c.query<{ last_seq: string }>(
          `UPDATE ${this.t.runs} SET last_seq = last_seq + $2 WHERE run_id = $1 RETURNING last_seq`,
          [runId, list.length],
        );
        const last = reserved.rows[0]?.last_seq;
        if (last === undefined) throw runNotFound(runId);
        await c.query(
          `INSERT INTO ${this.t.events} (run_id, seq, occurred_at, type, level, asset_key, partition_key, message, data)
           SELECT $1, * FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
          [runId, ...eventColumns(list, Number(last) - list.length + 1)],
        );
      }
    });
  }

  async events(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    checkCount('afterSeq', options.afterSeq);
    checkCount('limit', options.limit);
    const rows = await this.query<EventRow>(
      'read events',
      `SELECT * FROM ${this.t.events} WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [runId, options.afterSeq ?? 0, options.limit ?? null],
    );
    return rows.map(toEvent);
  }

  async addMaterialization(m: MaterializationRecord): Promise<void> {
    checkRecord(m);
    await this.query(
      'add a materialization',
      `INSERT INTO ${this.t.materializations} (run_id, asset_key, partition_key, occurred_at, table_version, rows_written, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      materializationParams(m),
    );
  }

  async latestMaterialization(assetKey: string, partition?: string): Promise<MaterializationRecord | undefined> {
    return (await this.materializations(assetKey, { limit: 1, partition }))[0];
  }

  async materializations(assetKey: string, options: { limit?: number; partition?: string } = {}): Promise<MaterializationRecord[]> {
    checkCount('limit', options.limit);
    const where = new Conditions();
    where.add(`asset_key = ${where.param(assetKey)}`);
    if (options.partition !== undefined) where.add(`partition_key = ${where.param(options.partition)}`);
    const limit = where.param(options.limit ?? null);
    const rows = await this.query<MaterializationRow>(
      'read materializations',
      `SELECT * FROM ${this.t.materializations} ${where.sql()} ORDER BY occurred_at DESC, id DESC LIMIT ${limit}`,
      where.params,
    );
    return rows.map(toMaterialization);
  }

  async addCheckResult(r: CheckResultRecord): Promise<void> {
    checkRecord(r);
    await this.query(
      'add a check result',
      `INSERT INTO ${this.t.checkResults} (run_id, asset_key, partition_key, check_name, occurred_at, passed, severity, table_version, failing_rows, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      checkResultParams(r),
    );
  }

  async checkResults(filter: { assetKey?: string; runId?: string; limit?: number } = {}): Promise<CheckResultRecord[]> {
    checkCount('limit', filter.limit);
    const where = new Conditions();
    if (filter.assetKey !== undefined) where.add(`asset_key = ${where.param(filter.assetKey)}`);
    if (filter.runId !== undefined) where.add(`run_id = ${where.param(filter.runId)}`);
    const limit = where.param(filter.limit ?? null);
    const rows = await this.query<CheckResultRow>(
      'read check results',
      `SELECT * FROM ${this.t.checkResults} ${where.sql()} ORDER BY occurred_at DESC, id DESC LIMIT ${limit}`,
      where.params,
    );
    return rows.map(toCheckResult);
  }

  async getCursor(name: string): Promise<string | undefined> {
    const [row] = await this.query<{ value: string }>('read a cursor', `SELECT value FROM ${this.t.cursors} WHERE name = $1`, [name]);
    return row?.value;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.query(
      'set a cursor',
      `INSERT INTO ${this.t.cursors} (name, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [name, value],
    );
  }

  async prune(olderThan: Date): Promise<number> {
    checkDate('olderThan', olderThan);
    // Events and run_assets rows go with their runs (ON DELETE CASCADE); materializations and check results stay.
    const [row] = await this.query<{ deleted: number }>(
      'prune runs',
      `WITH pruned AS (DELETE FROM ${this.t.runs} WHERE ended_at < $1 RETURNING 1) SELECT count(*)::integer AS deleted FROM pruned`,
      [olderThan],
    );
    return row?.deleted ?? 0;
  }

  /** Ends the pool; idempotent. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.pool.end();
  }

  private async query<R extends QueryResultRow>(action: string, sql: string, params: readonly unknown[]): Promise<R[]> {
    if (this.isClosed) throw closed(this.location);
    try {
      return (await this.pool.query<R>(sql, [...params])).rows;
    } catch (e) {
      throw fromPgError(e, this.location, action);
    }
  }

  private async transaction<T>(action: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    if (this.isClosed) throw closed(this.location);
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (e) {
      if (client) {
        // A connection that cannot roll back is broken: destroy it rather than return it to the pool.
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(!rolledBack);
      }
      throw fromPgError(e, this.location, action);
    }
  }
}

/** The WHERE clause of a query, built condition by condition with numbered parameters. */
class Conditions {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  sql(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
