import { randomUUID } from 'node:crypto';
import type { DeltaTable, Engine } from '@strata/delta';
import { ConnectorError } from '../errors.ts';
import type { JsonValue, RejectedRecord, Source } from '../source.ts';
import { LOAD_COLUMNS, STATE_PROPERTY, ident, literal } from './columns.ts';
import { coalesce } from './batching.ts';
import { quarantine } from './quarantine.ts';
import type { TypeChange } from './records.ts';
import { rescueConflicts } from './rescue.ts';
import { columnTypes, stageBatch } from './stage.ts';

/** Where a stream lands: its bronze table and its quarantine table, on one engine session. */
export interface LoadTarget {
  readonly engine: Engine;
  table(): Promise<DeltaTable>;
  quarantine(): Promise<DeltaTable>;
}

export interface LoadOptions {
  readonly runId: string;
  /** Consecutive in-memory batches (pages, chunks) are committed together once they hold this many rows (default 10,000). */
  readonly batchRows?: number;
  readonly signal?: AbortSignal;
  log?(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
}

/** What a load did. */
export interface LoadReport {
  readonly stream: string;
  /** Batches committed by this load. */
  readonly batches: number;
  readonly rowsWritten: number;
  /** Records sent to the quarantine table. */
  readonly rejected: number;
  /** Columns the table gained (schema drift: new fields). */
  readonly newColumns: readonly string[];
  /** Fields whose values did not fit their column and were kept in `_rescued_data`. */
  readonly typeChanges: readonly TypeChange[];
  /** The table's version after the load (undefined if the table does not exist). */
  readonly tableVersion?: number;
  /** The stream state committed last. */
  readonly state?: JsonValue;
  /** True when the table already held earlier loads: an incremental extraction (from the stored state, or of files not loaded yet). */
  readonly resumed: boolean;
}

const DEFAULT_BATCH_ROWS = 10_000;

/** Idempotency key of a bronze table's batches (Delta `txn` application id). */
const APP_ID = 'strata-ingest';

/**
 * Loads a stream into its bronze table, one Delta commit per batch. Each commit holds the batch's
 * rows with their load columns (`_ingested_at`, `_source`, `_batch_id`, `_run_id`), the stream's
 * state (table property `strata.ingest.state`) and a `txn` action: a crash or retry resumes from
 * the last committed state and never loses or duplicates a batch. The table is append-only
 * (`delta.appendOnly`); new fields become new columns; values of a changed type are kept in
 * `_rescued_data`; rejected records go to the quarantine table with their reason and raw text,
 * before the batch's data commit and with its txn id (records a source collects after the data was
 * read are written from the data write's `beforeCommit`, once its rows are written).
 */
export async function loadStream(source: Source, stream: string, target: LoadTarget, options: LoadOptions): Promise<LoadReport> {
  const { engine } = target;
  const signal = options.signal ?? new AbortController().signal;
  const log = options.log ?? (() => undefined);
  const table = await target.table();
  let exists = await table.exists();
  const start = exists ? await table.snapshot() : undefined;
  let seq = start?.txnVersion(APP_ID) ?? 0;
  let stateText = start?.configuration[STATE_PROPERTY];
  const state = stateText === undefined ? undefined : (JSON.parse(stateText) as JsonValue);
  let tableTypes = exists ? await columnTypes(engine, await table.scanSql()) : new Map<string, string>();
  const existing = exists ? await table.scanSql() : undefined;
  const newColumns: string[] = [];
  const typeChanges = new Map<string, TypeChange>();
  let batches = 0;
  let rowsWritten = 0;
  let rejected = 0;
  let tableVersion = start?.version;
  let committedState = state;

  for await (const batch of coalesce(source.read(stream, state, { engine, signal, log, existing }), options.batchRows ?? DEFAULT_BATCH_ROWS)) {
    signal.throwIfAborted();
    const staged = await stageBatch(engine, batch.data, tableTypes, stream);
    try {
      const batchId = randomUUID();
      const ingestedAt = new Date();
      const nextState = batch.state === undefined ? undefined : JSON.stringify(batch.state);
      const stateChanged = nextState !== undefined && nextState !== stateText;
      // Rejects found while the data is read are collected once the writer has read it, before its commit.
      const afterRead = typeof batch.rejected === 'function' && staged.sql ? batch.rejected : undefined;
      const upFront = typeof batch.rejected === 'function' ? (afterRead ? [] : await batch.rejected()) : (batch.rejected ?? []);
      if (!staged.sql && !stateChanged && upFront.length === 0) continue;
      const txn = { appId: APP_ID, version: seq + 1 };
      // Quarantined with the batch's txn id, before its data commit: a retried batch stores them once.
      const toQuarantine = async (records: readonly RejectedRecord[]) => {
        if (records.length === 0) return;
        const q = await target.quarantine();
        const stored = await quarantine(q, records, { runId: options.runId, batchId, ingestedAt, source: source.name, stream, txn, signal });
        if (stored === 0) return;
        rejected += stored;
        log('warn', `${stream}: ${stored} record(s) quarantined${batch.label ? ` from ${batch.label}` : ''}`, {
          reasons: [...new Set(records.map((r) => r.reason))].slice(0, 5),
        });
      };
      await toQuarantine(upFront);
      let sql: string;
      let schemaChanged = !exists;
      if (staged.sql) {
        const input = await columnTypes(engine, staged.sql);
        const fitted = await rescueConflicts(engine, staged.sql, input, tableTypes);
        for (const c of [...staged.typeChanges, ...fitted.typeChanges]) mergeChange(typeChanges, c);
        const added = [...input.keys()].filter((c) => !tableTypes.has(c) && c !== LOAD_COLUMNS.rescued);
        if (added.length > 0 || (input.has(LOAD_COLUMNS.rescued) && !tableTypes.has(LOAD_COLUMNS.rescued))) schemaChanged = true;
        if (exists && added.length > 0) {
          newColumns.push(...added);
          log('warn', `${stream}: new field(s) ${added.join(', ')} added as column(s)`);
        }
        sql = withLoadColumns(fitted.sql, { ingestedAt, source: source.name, batchId, runId: options.runId, columns: batch.columns ?? {} });
      } else if (exists) {
        sql = `SELECT * FROM (${await table.scanSql()}) WHERE false`;
      } else {
        // Nothing to create the table from: the state is not stored, the next load starts over.
        continue;
      }
      const r = await table.write(sql, {
        mode: 'append',
        evolveSchema: true,
        configuration: { 'delta.appendOnly': 'true' },
        ...(stateChanged ? { properties: { [STATE_PROPERTY]: nextState as string } } : {}),
        txn,
        signal,
        ...(afterRead ? { beforeCommit: async () => toQuarantine(await afterRead()) } : {}),
      });
      seq = txn.version;
      batches++;
      rowsWritten += r.rowsWritten;
      tableVersion = r.version;
      if (stateChanged) {
        stateText = nextState;
        committedState = batch.state;
      }
      if (schemaChanged) tableTypes = await columnTypes(engine, await table.scanSql());
      exists = true;
      log('debug', `${stream}: committed ${r.rowsWritten} row(s)${batch.label ? ` from ${batch.label}` : ''} as version ${r.version}`);
    } catch (e) {
      if (signal.aborted) throw new ConnectorError('CONNECTOR_CANCELED', `stream ${stream}: load canceled; ${batches} batch(es) committed`, { cause: e });
      throw e;
    } finally {
      await staged.dispose();
    }
  }
  for (const c of typeChanges.values()) {
    log('warn', `${stream}: field "${c.column}" received ${c.received} for a ${c.expected} column; ${c.rows} value(s) kept in ${LOAD_COLUMNS.rescued}`);
  }
  return {
    stream,
    batches,
    rowsWritten,
    rejected,
    newColumns,
    typeChanges: [...typeChanges.values()],
    ...(tableVersion !== undefined ? { tableVersion } : {}),
    ...(committedState !== undefined ? { state: committedState } : {}),
    resumed: start !== undefined,
  };
}

function mergeChange(into: Map<string, TypeChange>, c: TypeChange): void {
  const prev = into.get(c.column);
  into.set(c.column, prev ? { ...prev, rows: prev.rows + c.rows } : c);
}

function withLoadColumns(
  sql: string,
  m: { ingestedAt: Date; source: string; batchId: string; runId: string; columns: Readonly<Record<string, string | number | null>> },
): string {
  const extra = Object.entries(m.columns).map(
    ([k, v]) => `${v === null ? 'NULL::VARCHAR' : typeof v === 'number' ? String(v) : literal(v)} AS ${ident(k)}`,
  );
  return `SELECT *, TIMESTAMPTZ ${literal(m.ingestedAt.toISOString())} AS ${LOAD_COLUMNS.ingestedAt}, ${literal(m.source)} AS ${LOAD_COLUMNS.source},
    ${literal(m.batchId)} AS ${LOAD_COLUMNS.batchId}, ${literal(m.runId)} AS ${LOAD_COLUMNS.runId}${extra.map((e) => `, ${e}`).join('')} FROM (${sql})`;
}
