import { ConnectorError } from '../errors.ts';
import type { ColumnSpec, JsonValue, SourceBatch, SourceContext } from '../source.ts';
import type { SqlStreamConfig } from './config.ts';
import { throwIfAborted } from './errors.ts';
import { chunkQuery } from './keyset.ts';
import type { Bound } from './keyset.ts';
import type { RowChunk, SourceSession } from './session.ts';
import { parseState, stateJson } from './state.ts';
import type { FullLoadState, IncrementalState, SqlStreamState } from './state.ts';

/** What the reading of one stream needs besides its session. */
export interface StreamRead {
  readonly stream: SqlStreamConfig;
  /** The quoted table or `(query) AS …`, in the session's dialect. */
  readonly from: string;
  readonly ctx: SourceContext;
  /** `postgres://user@host:5432/db, stream "orders"`, for messages. */
  readonly where: string;
}

/**
 * Reads a stream in chunks of `chunk_size` rows, one batch per chunk, each carrying the state after
 * its chunk. The loader commits a batch and its state together, so a crash resumes after the last
 * committed chunk, exactly once: an incremental state holds the cursor value and key of the last
 * row read; a full load's state holds the run's position while it is in progress, and the run's
 * last batch marks it complete (an empty table gives one empty batch), so the next run starts over.
 * How the chunks are read:
 * - cursor and primary key: keyset pagination on (cursor, key), `WHERE (c, k) > (…) ORDER BY c, k LIMIT n`,
 *   correct when many rows share a cursor value;
 * - cursor only: keyset pagination on the cursor, where a chunk always ends after all the rows
 *   of its last cursor value (so a batch may exceed `chunk_size` by the rows tied on that value);
 * - primary key only (full load): keyset pagination on the key;
 * - neither (full load): one query read through a server-side cursor; an interrupted run cannot
 *   resume (there is no position to resume from): the next run starts over, and the batches the
 *   interrupted run committed stay in bronze under that run (set a primary key to avoid this).
 * Rows whose cursor is NULL are never read incrementally, and primary key columns must not be
 * NULL. Cursor and key values are compared by the database, in its collation, and kept in the
 * state in the database's text form. Rows committed later with a cursor value below the
 * watermark (a long transaction that set updated_at early) are not read: choose a cursor that
 * grows at commit, or re-read a window with a full load.
 */
export async function* readStream(session: SourceSession, read: StreamRead, state: JsonValue | undefined): AsyncGenerator<SourceBatch> {
  const { stream, where } = read;
  const columns = await session.describe(read.from);
  const primaryKey = stream.primary_key ?? [];
  const names = new Set<string>();
  for (const { name } of columns) {
    if (names.has(name)) throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `${where}: the stream has two columns named ${name}; give them distinct aliases`);
    names.add(name);
  }
  const required = [...(stream.cursor ? [{ role: 'cursor', column: stream.cursor.column }] : []), ...primaryKey.map((column) => ({ role: 'primary key', column }))];
  for (const { role, column } of required) {
    if (!names.has(column)) {
      throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `${where}: ${role} column ${column} is not a column of the stream (it has ${[...names].join(', ')})`);
    }
  }
  const parsed = parseState(state, stream.cursor?.column, primaryKey, where);
  const chunks = new Chunks(session, read, columns);
  if (stream.cursor && primaryKey.length > 0) yield* chunks.incrementalByKeyset(parsed as IncrementalState | undefined);
  else if (stream.cursor) yield* chunks.incrementalByCursor(parsed as IncrementalState | undefined);
  else if (primaryKey.length > 0) yield* chunks.fullByKeyset(parsed as FullLoadState | undefined);
  else yield* chunks.fullByServerCursor(parsed as FullLoadState | undefined);
}

class Chunks {
  private count = 0;
  private readonly size: number;

  constructor(
    private readonly session: SourceSession,
    private readonly read: StreamRead,
    private readonly columns: readonly ColumnSpec[],
  ) {
    this.size = read.stream.chunk_size;
  }

  async *incrementalByKeyset(state: IncrementalState | undefined): AsyncGenerator<SourceBatch> {
    const cursor = this.cursorColumn();
    const pk = this.read.stream.primary_key ?? [];
    const tail = pk.filter((c) => c !== cursor);
    const order = [cursor, ...tail];
    const position = (s: IncrementalState): JsonValue[] => [s.watermark, ...tail.map((c) => s.pk?.[pk.indexOf(c)] ?? null)];
    let bound: Bound | undefined = state ? { kind: 'after', columns: order, values: position(state) } : this.start(cursor);
    for (;;) {
      const chunk = await this.query({ bound, orderBy: order, limit: this.size + 1 });
      const rows = chunk.rows.slice(0, this.size);
      if (rows.length === 0) return;
      const last = rows.length - 1;
      const next: IncrementalState = { cursor, watermark: chunk.raw(last, cursor), pk: pk.map((c) => chunk.raw(last, c)) };
      yield this.batch(rows, next);
      if (chunk.rows.length <= this.size) return;
      bound = { kind: 'after', columns: order, values: position(next) };
    }
  }

  async *incrementalByCursor(state: IncrementalState | undefined): AsyncGenerator<SourceBatch> {
    const cursor = this.cursorColumn();
    let bound: Bound | undefined = state ? { kind: 'after', columns: [cursor], values: [state.watermark] } : this.start(cursor);
    for (;;) {
      const chunk = await this.query({ bound, orderBy: [cursor], limit: this.size });
      if (chunk.rows.length === 0) return;
      const lastValue = chunk.raw(chunk.rows.length - 1, cursor);
      let rows = chunk.rows;
      const full = chunk.rows.length === this.size;
      if (full) {
        // The limit may have cut the rows of the last cursor value: take all of them, so that
        // the next chunk can start strictly after that value.
        let cut = rows.length;
        while (cut > 0 && chunk.raw(cut - 1, cursor) === lastValue) cut--;
        const ties = await this.query({ equal: { column: cursor, value: lastValue } });
        rows = [...rows.slice(0, cut), ...ties.rows];
      }
      yield this.batch(rows, { cursor, watermark: lastValue });
      if (!full) return;
      bound = { kind: 'after', columns: [cursor], values: [lastValue] };
    }
  }

  async *fullByKeyset(state: FullLoadState | undefined): AsyncGenerator<SourceBatch> {
    const pk = this.read.stream.primary_key ?? [];
    const resume = state?.run === 'in_progress' && state.pk !== undefined;
    let bound: Bound | undefined = resume ? { kind: 'after', columns: pk, values: state.pk ?? [] } : undefined;
    let total = resume ? state.rows : 0;
    if (resume) this.read.ctx.log('info', `${this.read.where}: resuming the full load after ${total} rows`, { pk: state.pk ?? [] });
    for (;;) {
      const chunk = await this.query({ bound, orderBy: pk, limit: this.size + 1 });
      const rows = chunk.rows.slice(0, this.size);
      total += rows.length;
      const more = chunk.rows.length > this.size;
      const position = rows.length > 0 ? pk.map((c) => chunk.raw(rows.length - 1, c)) : [];
      yield this.batch(rows, more ? { run: 'in_progress', rows: total, pk: position } : { run: 'complete', rows: total });
      if (!more) return;
      bound = { kind: 'after', columns: pk, values: position };
    }
  }

  async *fullByServerCursor(state: FullLoadState | undefined): AsyncGenerator<SourceBatch> {
    if (state?.run === 'in_progress') {
      this.read.ctx.log('warn', `${this.read.where}: the previous full load stopped after ${state.rows} rows and cannot resume without a primary key; reading from the start`);
    }
    let total = 0;
    // One chunk of lookahead: the last chunk of the run is only known once the next read is empty.
    let held: RowChunk | undefined;
    for await (const chunk of this.session.stream(`SELECT * FROM ${this.read.from}`, this.size)) {
      throwIfAborted(this.read.ctx.signal, this.read.where);
      if (chunk.rows.length === 0) continue;
      if (held) {
        total += held.rows.length;
        yield this.batch(held.rows, { run: 'in_progress', rows: total });
      }
      held = chunk;
    }
    total += held?.rows.length ?? 0;
    yield this.batch(held?.rows ?? [], { run: 'complete', rows: total });
  }

  private cursorColumn(): string {
    return (this.read.stream.cursor as { column: string }).column;
  }

  /** The first run's bound: the configured start (inclusive), or none. */
  private start(cursor: string): Bound | undefined {
    const start = this.read.stream.cursor?.start;
    return start === undefined ? undefined : { kind: 'from', column: cursor, value: start };
  }

  private query(options: Parameters<typeof chunkQuery>[2]): Promise<RowChunk> {
    throwIfAborted(this.read.ctx.signal, this.read.where);
    const cursor = this.read.stream.cursor?.column;
    return this.session.query(chunkQuery(this.session.dialect, this.read.from, { ...options, ...(cursor !== undefined && { notNull: [cursor] }) }));
  }

  private batch(rows: readonly Readonly<Record<string, unknown>>[], state: SqlStreamState): SourceBatch {
    this.count++;
    this.read.ctx.log('debug', `${this.read.where}: chunk ${this.count}, ${rows.length} rows`, { state });
    return {
      data: { kind: 'typed', columns: this.columns, rows },
      state: stateJson(state),
      label: `chunk ${this.count} (${rows.length} rows)`,
    };
  }
}
