import type { SourceBatch, SourceContext } from '../source.ts';
import type { RestClient } from './client.ts';
import type { PaginationConfig, RestApiSourceConfig, StreamConfig } from './config.ts';
import { maxCursor, maxOfRecords, runStart } from './incremental.ts';
import type { CursorValue } from './incremental.ts';
import { readPages } from './pages.ts';
import type { Page, PageSequence } from './pages.ts';
import { createPaginator } from './pagination.ts';
import { isParentsRun, stateJson } from './state.ts';
import type { StreamState } from './state.ts';
import { fillPath, joinUrl, withParams } from './url.ts';

/** What reading a stream needs: the source's validated configuration and its shared client. */
export interface StreamReader {
  readonly config: RestApiSourceConfig;
  readonly client: RestClient;
  readonly streams: ReadonlyMap<string, StreamConfig>;
}

/** The stream's pagination: its own, else the source's, else none. */
export function paginationOf(reader: StreamReader, stream: StreamConfig): PaginationConfig {
  return stream.pagination ?? reader.config.pagination ?? { type: 'none' };
}

/**
 * The URL of a stream's first page: base_url and path, the stream's params, the incremental filter
 * (`from`, when defined) and, for a child stream, the parent's value in the path's `{as}` placeholder
 * or else as the query parameter `as`.
 */
export function firstPageUrl(reader: StreamReader, stream: StreamConfig, from: CursorValue | undefined, parentValue?: string): URL {
  const params: Record<string, string | number | boolean> = { ...stream.params };
  let path = stream.path;
  if (stream.parent !== undefined && parentValue !== undefined) {
    const { as } = stream.parent;
    if (path.includes(`{${as}}`)) path = fillPath(path, as, parentValue);
    else params[as] = parentValue;
  }
  if (stream.incremental !== undefined && from !== undefined) params[stream.incremental.param] = from;
  return withParams(joinUrl(reader.config.base_url, path), params);
}

/** The state after a run's last page: the new watermark (incremental streams), no run. */
export function endOfRun(stream: StreamConfig, previous: StreamState, max: CursorValue | undefined): StreamState {
  if (stream.incremental === undefined) return {};
  const watermark = maxCursor(previous.watermark, max);
  return watermark === undefined ? {} : { watermark };
}

/** The batch of one page, committed with `state`. */
export function pageBatch(page: Page, state: StreamState, label: string, columns?: Readonly<Record<string, string | number>>): SourceBatch {
  return {
    data: { kind: 'records', records: page.records },
    ...(page.rejected.length > 0 ? { rejected: page.rejected } : {}),
    state: stateJson(state),
    label,
    ...(columns !== undefined ? { columns } : {}),
  };
}

/**
 * Reads a stream without parent: a new run starts at the first page, filtered from the stored
 * watermark minus the look-back (or `start`); a run in progress (`run` in the state) goes on at its
 * next page with its own filter. Every batch carries the position of the page after it; the last
 * one ends the run.
 */
export async function* readPlainStream(reader: StreamReader, stream: StreamConfig, state: StreamState, ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const inc = stream.incremental;
  const paginator = createPaginator(paginationOf(reader, stream));
  let run = state.run !== undefined && !isParentsRun(state.run) ? state.run : undefined;
  if (state.run !== undefined && run === undefined) {
    ctx.log('warn', `stream ${stream.name}: the stored run is a child stream's; a new run starts`);
  } else if (run !== undefined && !paginator.accepts(run.next)) {
    ctx.log('warn', `stream ${stream.name}: the stored position ${JSON.stringify(run.next)} does not fit the stream's pagination; the run starts over at the first page`);
    run = { ...run, next: paginator.first, page: 1 };
  } else if (run !== undefined) {
    ctx.log('info', `stream ${stream.name}: resuming the run at page ${run.page}`);
  }
  const from = run !== undefined ? run.from : inc !== undefined ? runStart(inc, state.watermark) : undefined;
  let max = run?.max;
  const seq: PageSequence = { client: reader.client, paginator, firstPage: firstPageUrl(reader, stream, from), recordsPath: stream.records_path };
  for await (const page of readPages(seq, run ?? { next: paginator.first, page: 1 }, { stream: stream.name, signal: ctx.signal, log: ctx.log })) {
    if (inc !== undefined) max = maxOfRecords(page.records, inc.cursor_field, max);
    const next: StreamState =
      page.next === undefined
        ? endOfRun(stream, state, max)
        : { ...keepWatermark(state), run: { ...bounds(from, max), next: page.next, page: page.number + 1 } };
    yield pageBatch(page, next, `${stream.name} page ${page.number}`);
  }
}

/** The stored watermark alone: what a run's batches carry besides the run. */
export function keepWatermark(state: StreamState): StreamState {
  return state.watermark !== undefined ? { watermark: state.watermark } : {};
}

/** A run's incremental bounds, leaving out those not known. */
export function bounds(from: CursorValue | undefined, max: CursorValue | undefined): { from?: CursorValue; max?: CursorValue } {
  return { ...(from !== undefined ? { from } : {}), ...(max !== undefined ? { max } : {}) };
}
