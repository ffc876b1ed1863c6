/** Load metadata columns every bronze row carries. */
export const LOAD_COLUMNS = {
  ingestedAt: '_ingested_at',
  source: '_source',
  batchId: '_batch_id',
  runId: '_run_id',
  /** Values whose type did not match the column's, as JSON `{ "field": value }`, never cast away. */
  rescued: '_rescued_data',
} as const;

const RESERVED = new Set<string>(Object.values(LOAD_COLUMNS));

/** True for names the loader writes itself; a source field with such a name is refused. */
export function isReservedColumn(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** Table property holding a stream's state, committed with each batch. */
export const STATE_PROPERTY = 'strata.ingest.state';

export { sqlIdent as ident, sqlString as literal } from '@strata/delta';
