import type { PaginationConfig } from './config.ts';
import { valueAt } from './records.ts';

/**
 * Where a page is: what a run's state stores as the next page to fetch. `offset` and `page` are
 * numbers; `cursor` is the API's cursor; `url` is a next-page URL without the client's own secrets.
 * The first page of cursor, link_header, next_url and none pagination is `{}`.
 */
export interface PagePosition {
  readonly offset?: number;
  readonly page?: number;
  readonly cursor?: string;
  readonly url?: string;
}

/** A fetched page, as pagination needs it to find the next one. */
export interface FetchedPage {
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
  /** Items in the records array. */
  readonly count: number;
}

export interface Paginator {
  /** The position of the first page. */
  readonly first: PagePosition;
  /** Whether `position` (from a stored state) is one of this pagination's. */
  accepts(position: PagePosition): boolean;
  /** The URL of the page at `position`, given the URL of the first page (path, params, incremental filter). */
  url(firstPage: URL, position: PagePosition): URL;
  /** The position after `page`, or undefined when it was the last. `clean` removes the client's secrets from a URL. */
  next(position: PagePosition, page: FetchedPage, clean: (url: URL) => URL): PagePosition | undefined;
}

/**
 * Pagination by kind. `offset` and `page` stop at the first empty page, so an API that caps the
 * page size below `page_size` still yields every record; `cursor`, `link_header` and `next_url`
 * stop when the next cursor or link is absent, empty, or the same as the current one.
 */
export function createPaginator(config: PaginationConfig): Paginator {
  switch (config.type) {
    case 'offset':
      return {
        first: { offset: 0 },
        accepts: (p) => typeof p.offset === 'number',
        url: (first, p) => setParams(first, { [config.offset_param]: p.offset ?? 0, [config.limit_param]: config.page_size }),
        next: (p, page) => (page.count === 0 ? undefined : { offset: (p.offset ?? 0) + page.count }),
      };
    case 'page':
      return {
        first: { page: config.first_page },
        accepts: (p) => typeof p.page === 'number',
        url: (first, p) => setParams(first, { [config.page_param]: p.page ?? config.first_page, [config.size_param]: config.page_size }),
        next: (p, page) => (page.count === 0 ? undefined : { page: (p.page ?? config.first_page) + 1 }),
      };
    case 'cursor':
      return {
        first: {},
        accepts: (p) => p.cursor === undefined || typeof p.cursor === 'string',
        url: (first, p) =>
          setParams(first, {
            ...(config.page_size !== undefined ? { [config.limit_param]: config.page_size } : {}),
            ...(p.cursor !== undefined ? { [config.cursor_param]: p.cursor } : {}),
          }),
        next: (p, page) => {
          const cursor = valueAt(page.body, config.cursor_path);
          if ((typeof cursor !== 'string' && typeof cursor !== 'number') || cursor === '' || String(cursor) === p.cursor) return undefined;
          return { cursor: String(cursor) };
        },
      };
    case 'link_header':
      return linkPaginator((page) => nextLink(page.headers.get('link')));
    case 'next_url':
      return linkPaginator((page) => {
        const next = valueAt(page.body, config.next_url_path);
        return typeof next === 'string' && next !== '' ? next : undefined;
      });
    case 'none':
      return { first: {}, accepts: () => true, url: (first) => first, next: () => undefined };
  }
}

function linkPaginator(find: (page: FetchedPage) => string | undefined): Paginator {
  return {
    first: {},
    accepts: (p) => p.url === undefined || URL.canParse(p.url),
    url: (first, p) => (p.url === undefined ? first : new URL(p.url)),
    next: (_, page, clean) => {
      const link = find(page);
      if (link === undefined || !URL.canParse(link, page.url.href)) return undefined;
      const next = clean(new URL(link, page.url));
      return next.href === clean(page.url).href ? undefined : { url: next.href };
    },
  };
}

function setParams(url: URL, params: Record<string, string | number>): URL {
  const out = new URL(url);
  for (const [k, v] of Object.entries(params)) out.searchParams.set(k, String(v));
  return out;
}

/** The target of the `rel="next"` link of an RFC 8288 Link header. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,<=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,<\s]*))?)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(match[2] ?? '');
    const values = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (values.includes('next')) return match[1];
  }
  return undefined;
}
