import type { RequestContext, RestClient } from './client.ts';
import type { PagePosition, Paginator } from './pagination.ts';
import { parseError } from './errors.ts';
import { extractRecords, parseBody } from './records.ts';
import type { PageRecords } from './records.ts';
import type { Progress } from './state.ts';

/** One page of a stream: its records, its number, and where the next page is (none on the last). */
export interface Page extends PageRecords {
  readonly number: number;
  readonly next?: PagePosition;
  /** The redacted URL of the page. */
  readonly url: string;
}

export interface PageSequence {
  readonly client: RestClient;
  readonly paginator: Paginator;
  /** The URL of the first page: path, params and incremental filter. */
  readonly firstPage: URL;
  readonly recordsPath: string | undefined;
}

/**
 * Fetches pages from `start` until pagination says there are no more, one request at a time. A
 * non-empty page identical to the one before is CONNECTOR_PARSE: the API ignores the pagination
 * parameters, and reading on would never end.
 */
export async function* readPages(seq: PageSequence, start: Progress, ctx: RequestContext): AsyncGenerator<Page> {
  let position = start.next;
  let previous: string | undefined;
  for (let number = start.page; ; number++) {
    const response = await seq.client.get(seq.paginator.url(seq.firstPage, position), ctx);
    const origin = { stream: ctx.stream, url: seq.client.redact(response.url) };
    if (response.text === previous) {
      throw parseError(ctx.stream, origin.url, `is the same as the previous page's: the API seems to ignore the pagination parameters (check the stream's pagination)`);
    }
    const body = parseBody(response.text, response.headers.get('content-type'), origin);
    const records = extractRecords(body, seq.recordsPath, origin);
    const next = seq.paginator.next(
      position,
      { url: response.url, headers: response.headers, body, count: records.count },
      (url) => seq.client.strip(url),
    );
    ctx.log('debug', `stream ${ctx.stream}: page ${number} of ${origin.url}: ${records.count} records`);
    previous = records.count > 0 ? response.text : undefined;
    yield { ...records, number, url: origin.url, ...(next !== undefined ? { next } : {}) };
    if (next === undefined) return;
    position = next;
  }
}
