import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import { restApiSource } from './source.ts';
import type { RestApiSourceConfigInput } from './config.ts';
import { ids, readAll, startTestApi } from './test-support.ts';
import type { TestApi, TestReply } from './test-support.ts';

const OK: TestReply = { json: [{ id: 1 }, { id: 2 }] };
const DENIED: TestReply = { status: 401, json: { error: 'invalid credentials' } };

describe('auth', () => {
  let api: TestApi;
  const issued: string[] = [];
  const revoked = new Set<string>();
  let lifetime = 3600;

  before(async () => {
    api = await startTestApi({
      '/key-header': (req) => (req.headers['x-api-key'] === 's3cret' ? OK : DENIED),
      '/key-query': (req) => (req.url.searchParams.get('api_key') === 's3cret' ? OK : DENIED),
      '/bearer': (req) => (req.headers.authorization === 'Bearer tok-123' ? OK : DENIED),
      '/basic': (req) => (req.headers.authorization === `Basic ${Buffer.from('ann:pa:ss').toString('base64')}` ? OK : DENIED),
      'POST /oauth/token': (req) => {
        const form = new URLSearchParams(req.body);
        if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return { status: 400, json: { error: 'not a form' } };
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== 'app' || form.get('client_secret') !== 'shh') {
          return { status: 401, json: { error: 'invalid_client' } };
        }
        if (form.get('scope') !== 'read' || form.get('audience') !== 'parks') return { status: 400, json: { error: 'invalid_scope' } };
        const token = `t${issued.length + 1}`;
        issued.push(token);
        return { json: { access_token: token, token_type: 'Bearer', expires_in: lifetime } };
      },
      '/oauth/data': (req) => {
        const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        return issued.includes(token) && !revoked.has(token) ? OK : DENIED;
      },
      '/oauth/always-denied': () => DENIED,
    });
  });
  after(() => api.close());

  const source = (auth: RestApiSourceConfigInput['auth'], path: string) =>
    restApiSource({ base_url: api.url, auth, retry: { max_retries: 0 }, streams: [{ name: 'things', path }, { name: 'more', path }] });

  async function rejectsWithAuth(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
    await assert.rejects(promise, (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_AUTH'), String(e));
      for (const f of fragments) assert.ok(e.message.includes(f), `${e.message} should include ${f}`);
      return true;
    });
  }

  it('api key in a header', async () => {
    assert.deepEqual(ids((await readAll(source({ type: 'api_key', header: 'X-API-Key', value: 's3cret' }, '/key-header'), 'things')).records), [1, 2]);
    await rejectsWithAuth(readAll(source({ type: 'api_key', header: 'X-API-Key', value: 'wrong' }, '/key-header'), 'things'), 'stream things', '401', 'invalid credentials');
  });

  it('api key in the query, redacted from error messages', async () => {
    assert.deepEqual(ids((await readAll(source({ type: 'api_key', query: 'api_key', value: 's3cret' }, '/key-query'), 'things')).records), [1, 2]);
    await assert.rejects(readAll(source({ type: 'api_key', query: 'api_key', value: 'wrong-key' }, '/key-query?api_key=leaked'), 'things'), (e) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_AUTH'));
      assert.ok(e.message.includes('api_key=***'), e.message);
      assert.ok(!e.message.includes('wrong-key') && !e.message.includes('leaked'), e.message);
      return true;
    });
  });

  it('bearer token', async () => {
    assert.deepEqual(ids((await readAll(source({ type: 'bearer', token: 'tok-123' }, '/bearer'), 'things')).records), [1, 2]);
    await rejectsWithAuth(readAll(source({ type: 'bearer', token: 'nope' }, '/bearer'), 'things'), '401');
  });

  it('basic auth (a password may hold a colon)', async () => {
    assert.deepEqual(ids((await readAll(source({ type: 'basic', username: 'ann', password: 'pa:ss' }, '/basic'), 'things')).records), [1, 2]);
    await rejectsWithAuth(readAll(source({ type: 'basic', username: 'ann', password: 'bad' }, '/basic'), 'things'), '401');
  });

  describe('oauth2 client credentials', () => {
    const oauth = (secret = 'shh') =>
      ({ type: 'oauth2_client_credentials', token_url: `${api.url}/oauth/token`, client_id: 'app', client_secret: secret, scope: 'read', audience: 'parks' }) as const;

    it('fetches a token with a form-encoded POST and caches it across requests and streams', async () => {
      lifetime = 3600;
      const tokenRequests = api.requestsTo('POST /oauth/token').length;
      const s = source(oauth(), '/oauth/data');
      assert.deepEqual(ids((await readAll(s, 'things')).records), [1, 2]);
      assert.deepEqual(ids((await readAll(s, 'more')).records), [1, 2]);
      assert.deepEqual(ids((await readAll(s, 'things')).records), [1, 2]);
      assert.equal(api.requestsTo('POST /oauth/token').length - tokenRequests, 1);
    });

    it('renews the token before it expires', async () => {
      lifetime = 1;
      const tokenRequests = api.requestsTo('POST /oauth/token').length;
      const s = source(oauth(), '/oauth/data');
      await readAll(s, 'things');
      await readAll(s, 'things');
      assert.equal(api.requestsTo('POST /oauth/token').length - tokenRequests, 1, 'still valid: reused');
      await new Promise((r) => setTimeout(r, 1000));
      await readAll(s, 'things');
      assert.equal(api.requestsTo('POST /oauth/token').length - tokenRequests, 2, 'expired: renewed');
      lifetime = 3600;
    });

    it('renews the token once after a 401', async () => {
      const s = source(oauth(), '/oauth/data');
      await readAll(s, 'things');
      const tokenRequests = api.requestsTo('POST /oauth/token').length;
      revoked.add(issued.at(-1) ?? '');
      assert.deepEqual(ids((await readAll(s, 'things')).records), [1, 2]);
      assert.equal(api.requestsTo('POST /oauth/token').length - tokenRequests, 1);
    });

    it('a 401 that persists after renewing is CONNECTOR_AUTH, without looping', async () => {
      const s = source(oauth(), '/oauth/always-denied');
      const before = api.requests.length;
      await rejectsWithAuth(readAll(s, 'things'), 'stream things', '401');
      const made = api.requests.slice(before).map((r) => `${r.method} ${r.url.pathname}`);
      assert.deepEqual(made, ['POST /oauth/token', 'GET /oauth/always-denied', 'POST /oauth/token', 'GET /oauth/always-denied']);
    });

    it('a token endpoint refusing the credentials is CONNECTOR_AUTH naming the token URL and status', async () => {
      await rejectsWithAuth(readAll(source(oauth('wrong'), '/oauth/data'), 'things'), `${api.url}/oauth/token`, 'HTTP 401', 'invalid_client');
    });
  });
});
