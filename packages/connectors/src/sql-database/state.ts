import { ConnectorError } from '../errors.ts';
import type { JsonValue } from '../source.ts';

/**
 * The state of an incremental stream: every row up to (`watermark`, `pk`) in the order of
 * (cursor column, primary key) has been read. Values are the database's text forms.
 */
export interface IncrementalState {
  /** The cursor column the watermark belongs to. */
  readonly cursor: string;
  readonly watermark: JsonValue;
  /** The primary key of the last row read (all its columns, in order), when the stream has one. */
  readonly pk?: readonly JsonValue[];
}

/**
 * The state of a full load. While a run is in progress it holds the position reached (the
 * primary key of the last row read) and a crash resumes after it; the last batch of a run marks
 * it complete, and the next run starts over.
 */
export interface FullLoadState {
  readonly run: 'in_progress' | 'complete';
  /** Rows read by the run so far. */
  readonly rows: number;
  readonly pk?: readonly JsonValue[];
}

export type SqlStreamState = IncrementalState | FullLoadState;

/** The state as the loader stores it. */
export function stateJson(state: SqlStreamState): JsonValue {
  return state as unknown as JsonValue;
}

function isJsonList(value: unknown): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/**
 * Reads a stored state for a stream configured with `cursor` (or none) and `primaryKey`; fails
 * with CONNECTOR_INVALID_CONFIG when the state belongs to another configuration (a changed
 * cursor column or key), where resuming would skip or repeat rows.
 */
export function parseState(
  state: JsonValue | undefined,
  cursor: string | undefined,
  primaryKey: readonly string[],
  where: string,
): SqlStreamState | undefined {
  if (state === undefined || state === null) return undefined;
  const mismatch = (why: string) =>
    new ConnectorError('CONNECTOR_INVALID_CONFIG', `${where}: the stored state ${JSON.stringify(state)} ${why}; reset the stream's state to read it again from the start`);
  if (typeof state !== 'object' || Array.isArray(state)) throw mismatch('is not a database stream state');
  const s = state as Readonly<Record<string, JsonValue>>;
  if (s.pk !== undefined && (!isJsonList(s.pk) || s.pk.length !== primaryKey.length)) {
    throw mismatch(`does not hold a value for each primary key column (${primaryKey.join(', ') || 'none'})`);
  }
  const pk = s.pk as readonly JsonValue[] | undefined;
  if (cursor !== undefined) {
    if (typeof s.cursor !== 'string' || !('watermark' in s)) throw mismatch(`is not the state of an incremental stream (cursor ${cursor})`);
    if (s.cursor !== cursor) throw mismatch(`belongs to cursor column ${s.cursor}, not ${cursor}`);
    if (primaryKey.length > 0 && pk === undefined) throw mismatch('has no primary key position');
    return { cursor: s.cursor, watermark: s.watermark ?? null, ...(pk && { pk }) };
  }
  if (s.run !== 'in_progress' && s.run !== 'complete') throw mismatch('is not the state of a full load');
  return { run: s.run, rows: typeof s.rows === 'number' ? s.rows : 0, ...(pk && { pk }) };
}
