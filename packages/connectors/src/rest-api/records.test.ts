import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import { extractRecords, valueAt } from './records.ts';
import { restApiSource } from './source.ts';
import type { RestApiSourceConfigInput } from './config.ts';
import { ids, readAll, startTestApi } from './test-support.ts';
import type { TestApi } from './test-support.ts';

describe('records of a page', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({
      '/mixed': () => ({ text: '{"data":[{"id":1,"nested":{"a":[1,2]}},2,"x",null,[1,{"id":9}],{"id":2,"n":1.50}]}', headers: { 'content-type': 'application/json' } }),
      '/html': () => ({ text: '<html><body>Service page</body></html>', headers: { 'content-type': 'text/html' } }),
      '/object': () => ({ json: { items: [{ id: 1 }], meta: { total: 1 } } }),
      '/null-items': () => ({ json: { data: null } }),
    });
  });
  after(() => api.close());

  const source = (streams: RestApiSourceConfigInput['streams']) => restApiSource({ base_url: api.url, retry: { max_retries: 0 }, streams });

  it('keeps objects exactly as received and rejects other items with their raw JSON text', async () => {
    const { batches } = await readAll(source([{ name: 'mixed', path: '/mixed', params: { page: 3 }, records_path: 'data' }]), 'mixed');
    assert.equal(batches.length, 1);
    const batch = batches[0];
    assert.deepEqual(batch?.data, { kind: 'records', records: [{ id: 1, nested: { a: [1, 2] } }, { id: 2, n: 1.5 }] });
    assert.deepEqual(batch?.rejected, [
      { raw: '2', reason: 'record 2 of the page is a number, not a JSON object', location: 'GET /mixed?page=3 #2' },
      { raw: '"x"', reason: 'record 3 of the page is a string, not a JSON object', location: 'GET /mixed?page=3 #3' },
      { raw: 'null', reason: 'record 4 of the page is null, not a JSON object', location: 'GET /mixed?page=3 #4' },
      { raw: '[1,{"id":9}]', reason: 'record 5 of the page is an array, not a JSON object', location: 'GET /mixed?page=3 #5' },
    ]);
    assert.equal(batch?.label, 'mixed page 1');
  });

  it('a body that is not JSON is CONNECTOR_PARSE naming the stream and the URL', async () => {
    await assert.rejects(readAll(source([{ name: 'html', path: '/html' }]), 'html'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_PARSE'));
      assert.equal(e.message, `stream html: the response of GET ${api.url}/html is not JSON (content-type text/html): <html><body>Service page</body></html>`);
      return true;
    });
  });

  it('an object body without records_path is CONNECTOR_PARSE naming the keys present', async () => {
    await assert.rejects(readAll(source([{ name: 'o', path: '/object' }]), 'o'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_PARSE'));
      assert.match(e.message, /is an object with keys items, meta, not an array of records; set records_path \(records_path: items\?\)$/);
      return true;
    });
  });

  it('a records_path that is absent names what is there', async () => {
    await assert.rejects(readAll(source([{ name: 'o', path: '/object', records_path: 'meta.rows' }]), 'o'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_PARSE'));
      assert.match(e.message, /has no meta\.rows \(records_path meta\.rows\): meta is an object with keys total$/);
      return true;
    });
  });

  it('null at records_path is an empty page', async () => {
    const { records, batches } = await readAll(source([{ name: 'n', path: '/null-items', records_path: 'data' }]), 'n');
    assert.deepEqual(ids(records), []);
    assert.equal(batches.length, 1);
  });

  it('extractRecords and valueAt', () => {
    const origin = { stream: 's', url: 'https://api.example.com/x?page=1' };
    assert.deepEqual(extractRecords([{ a: 1 }], undefined, origin), { records: [{ a: 1 }], rejected: [], count: 1 });
    assert.deepEqual(extractRecords({ r: { list: [true] } }, 'r.list', origin).rejected[0]?.raw, 'true');
    assert.throws(() => extractRecords({ r: 5 }, 'r', origin), /has a number at records_path r, not an array of records/);
    assert.equal(valueAt({ a: [{ b: 'x' }] }, 'a.0.b'), 'x');
    assert.equal(valueAt({ a: 1 }, 'a.b'), undefined);
  });
});
