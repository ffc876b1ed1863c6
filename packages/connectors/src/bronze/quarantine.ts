import type { DeltaTable } from '@strata/delta';
import { ident, literal } from './columns.ts';
import type { RejectedRecord } from '../source.ts';

/** What a quarantined record is stored with. */
export interface QuarantineContext {
  readonly runId: string;
  readonly batchId: string;
  readonly ingestedAt: Date;
  readonly source: string;
  readonly stream: string;
  /** The idempotency key of the batch: a retried batch does not quarantine its records twice. */
  readonly txn: { readonly appId: string; readonly version: number };
  readonly signal: AbortSignal;
}

/**
 * Appends rejected records to the stream's quarantine table, before the batch's data commit: a
 * crash in between re-reads the batch, and the txn id keeps its records from being stored twice.
 * Returns how many records were stored (none when the batch's records were stored already).
 */
export async function quarantine(table: DeltaTable, rejected: readonly RejectedRecord[], ctx: QuarantineContext): Promise<number> {
  if (rejected.length === 0) return 0;
  const values = rejected
    .map((r) => `(${literal(r.reason)}, ${literal(r.raw)}, ${r.location === undefined ? 'NULL' : literal(r.location)})`)
    .join(',\n');
  const sql = `SELECT ${literal(ctx.stream)} AS ${ident('_stream')}, reason AS ${ident('_reason')}, raw AS ${ident('_raw')},
      location AS ${ident('_location')}, TIMESTAMPTZ ${literal(ctx.ingestedAt.toISOString())} AS _ingested_at,
      ${literal(ctx.source)} AS _source, ${literal(ctx.batchId)} AS _batch_id, ${literal(ctx.runId)} AS _run_id
    FROM (VALUES ${values}) AS v(reason, raw, location)`;
  const r = await table.write(sql, { mode: 'append', evolveSchema: true, txn: ctx.txn, signal: ctx.signal });
  return r.committed ? rejected.length : 0;
}
