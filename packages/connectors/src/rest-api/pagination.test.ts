import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nextLink } from './pagination.ts';
import { restApiSource } from './source.ts';
import type { RestApiSourceConfigInput } from './config.ts';
import { isConnectorError } from '../errors.ts';
import { ids, items, readAll, startTestApi, testContext } from './test-support.ts';
import type { TestApi } from './test-support.ts';

const ALL = items(23);
const EXPECTED = ALL.map((r) => r.id);

function num(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  return v === null ? fallback : Number(v);
}

describe('pagination', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({
      '/offset/items': (req) => {
        const offset = num(req.url, 'offset', 0);
        // Caps the page size below what was asked: offset pagination must still see every record.
        const limit = Math.min(num(req.url, 'limit', 100), 7);
        return { json: ALL.slice(offset, offset + limit) };
      },
      '/page/items': (req) => {
        const page = num(req.url, 'p', 1);
        const size = num(req.url, 'size', 100);
        return { json: { data: ALL.slice((page - 1) * size, page * size), page } };
      },
      '/page0/items': (req) => {
        const page = num(req.url, 'page', 0);
        return { json: { data: ALL.slice(page * 10, (page + 1) * 10) } };
      },
      '/cursor/items': (req) => {
        const start = req.url.searchParams.has('after') ? Number(Buffer.from(req.url.searchParams.get('after') ?? '', 'base64url').toString()) : 0;
        const limit = num(req.url, 'limit', 5);
        const end = start + limit;
        const next = end < ALL.length ? Buffer.from(String(end)).toString('base64url') : null;
        return { json: { items: ALL.slice(start, end), meta: { next } } };
      },
      '/link/items': (req) => {
        const page = num(req.url, 'page', 1);
        const last = Math.ceil(ALL.length / 6);
        const links = [`</link/items?page=${last}&kind=all>; rel="last"`];
        if (page < last) links.unshift(`<${api.url}/link/items?page=${page + 1}&kind=all>; rel="next"`);
        return { json: ALL.slice((page - 1) * 6, page * 6), headers: { link: links.join(', ') } };
      },
      '/relative-link/items': (req) => {
        const page = num(req.url, 'page', 1);
        const next = page < 3 ? { link: `<?page=${page + 1}>; rel="prev next"` } : undefined;
        return { json: ALL.slice((page - 1) * 8, page * 8), ...(next ? { headers: next } : {}) };
      },
      '/next/items': (req) => {
        const page = num(req.url, 'page', 1);
        const next = page * 9 < ALL.length ? `/next/items?page=${page + 1}` : null;
        return { json: { results: ALL.slice((page - 1) * 9, page * 9), links: { next } } };
      },
      '/next-absolute/items': (req) => {
        const page = num(req.url, 'page', 1);
        const next = page * 9 < ALL.length ? `${api.url}/next-absolute/items?page=${page + 1}` : undefined;
        return { json: { results: ALL.slice((page - 1) * 9, page * 9), ...(next ? { next } : {}) } };
      },
      '/none/items': () => ({ json: ALL }),
      '/ignores-paging': () => ({ json: ALL.slice(0, 5) }),
      '/echo': (req) => ({ json: [{ id: 1, query: req.url.search }] }),
    });
  });
  after(() => api.close());

  const source = (streams: RestApiSourceConfigInput['streams'], extra: Partial<RestApiSourceConfigInput> = {}) =>
    restApiSource({ base_url: `${api.url}/`, retry: { max_retries: 0 }, ...extra, streams });

  it('offset: every record once, advancing by the records received, until an empty page', async () => {
    const s = source([{ name: 'items', path: '/offset/items', pagination: { type: 'offset', page_size: 10 } }]);
    const before = api.requests.length;
    const { records, batches } = await readAll(s, 'items');
    assert.deepEqual(ids(records), EXPECTED);
    const urls = api.requests.slice(before).map((r) => r.url.search);
    assert.deepEqual(urls, ['?offset=0&limit=10', '?offset=7&limit=10', '?offset=14&limit=10', '?offset=21&limit=10', '?offset=23&limit=10']);
    assert.deepEqual(
      batches.map((b) => b.label),
      ['items page 1', 'items page 2', 'items page 3', 'items page 4', 'items page 5'],
    );
    assert.deepEqual(batches.at(-1)?.state, {});
  });

  it('page: every record once, with the configured parameter names and records_path', async () => {
    const s = source([{ name: 'items', path: 'page/items', records_path: 'data' }], {
      pagination: { type: 'page', page_param: 'p', size_param: 'size', page_size: 10 },
    });
    const { records } = await readAll(s, 'items');
    assert.deepEqual(ids(records), EXPECTED);
  });

  it('page: first_page 0', async () => {
    const s = source([{ name: 'items', path: '/page0/items', records_path: 'data', pagination: { type: 'page', first_page: 0, page_size: 10 } }]);
    const before = api.requests.length;
    const { records } = await readAll(s, 'items');
    assert.deepEqual(ids(records), EXPECTED);
    assert.equal(api.requests[before]?.url.searchParams.get('page'), '0');
  });

  it('cursor: every record once, the cursor read from the body', async () => {
    const s = source([
      {
        name: 'items',
        path: '/cursor/items',
        records_path: 'items',
        pagination: { type: 'cursor', cursor_param: 'after', cursor_path: 'meta.next', page_size: 5 },
      },
    ]);
    const { records, batches } = await readAll(s, 'items');
    assert.deepEqual(ids(records), EXPECTED);
    assert.equal(batches.length, 5);
  });

  it('link_header: follows rel="next" (absolute and relative links) and stops without one', async () => {
    const s = source([
      { name: 'abs', path: '/link/items', pagination: { type: 'link_header' } },
      { name: 'rel', path: '/relative-link/items', pagination: { type: 'link_header' } },
    ]);
    assert.deepEqual(ids((await readAll(s, 'abs')).records), EXPECTED);
    assert.deepEqual(ids((await readAll(s, 'rel')).records), EXPECTED);
  });

  it('next_url: follows relative and absolute next URLs from the body', async () => {
    const s = source([
      { name: 'rel', path: '/next/items', records_path: 'results', pagination: { type: 'next_url', next_url_path: 'links.next' } },
      { name: 'abs', path: '/next-absolute/items', records_path: 'results', pagination: { type: 'next_url' } },
    ]);
    assert.deepEqual(ids((await readAll(s, 'rel')).records), EXPECTED);
    assert.deepEqual(ids((await readAll(s, 'abs')).records), EXPECTED);
  });

  it('none: one request, one batch ending the run', async () => {
    const s = source([{ name: 'items', path: '/none/items' }]);
    const before = api.requests.length;
    const { records, batches } = await readAll(s, 'items');
    assert.deepEqual(ids(records), EXPECTED);
    assert.equal(api.requests.length - before, 1);
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]?.state, {});
  });

  it('an API that ignores the pagination parameters is CONNECTOR_PARSE, not an endless loop', async () => {
    const s = source([{ name: 'items', path: '/ignores-paging', pagination: { type: 'page', page_param: 'pg' } }]);
    const batches: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const b of s.read('items', undefined, testContext())) batches.push(b);
      },
      (e) => isConnectorError(e, 'CONNECTOR_PARSE') && /stream items: the response of GET .*pg=2.* is the same as the previous page's/.test(e.message),
    );
    assert.equal(batches.length, 1, 'the first page was read');
  });

  it('joins paths to base_url with or without slashes and encodes params', async () => {
    for (const [base, path] of [
      [`${api.url}`, 'echo'],
      [`${api.url}/`, '/echo'],
      [`${api.url}//`, '//echo'],
    ] as const) {
      const s = restApiSource({ base_url: base, streams: [{ name: 'e', path, params: { q: 'a b&c=d', n: 3, flag: true } }] });
      const { records } = await readAll(s, 'e');
      assert.equal(records[0]?.query, '?q=a+b%26c%3Dd&n=3&flag=true', `${base} + ${path}`);
    }
  });
});

describe('nextLink', () => {
  it('finds rel="next" among several links, with or without quotes and with several rel values', () => {
    assert.equal(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"'), 'https://a/x?page=3');
    assert.equal(nextLink('<https://a/x?page=3>; rel=next; title="a, b"'), 'https://a/x?page=3');
    assert.equal(nextLink('<https://a/x?p=2>; title="next"; rel="last next"'), 'https://a/x?p=2');
    assert.equal(nextLink('<https://a/x?page=9>; rel="last"'), undefined);
    assert.equal(nextLink(null), undefined);
  });
});
