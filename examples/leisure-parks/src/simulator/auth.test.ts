import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimulatorServer } from './server.ts';
import { startSimulatorServer } from './server.ts';
import { createSimulator } from './simulator.ts';

let server: SimulatorServer;
let wallClock = Date.parse('2030-01-01T00:00:00Z');

before(async () => {
  server = await startSimulatorServer({
    sim: createSimulator({ seed: 2, scale: 0.01, now: '2022-08-01T00:00:00Z' }),
    apiKey: 'key-123',
    clientId: 'client-a',
    clientSecret: 's3cret',
    tokenTtlSeconds: 60,
    clock: () => wallClock,
  });
});
after(() => server.close());

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

test('the API key is accepted in the X-API-Key header or the api_key query parameter', async () => {
  assert.equal((await call('/v1/parks', { headers: { 'X-API-Key': 'key-123' } })).status, 200);
  const viaQuery = await call('/v1/parks?api_key=key-123&limit=2');
  assert.equal(viaQuery.status, 200);
  assert.equal((viaQuery.body.data as unknown[]).length, 2);
});

test('missing or wrong credentials get 401 with a JSON error, on data and admin routes', async () => {
  for (const [path, headers] of [
    ['/v1/bookings', {}],
    ['/v1/bookings', { 'x-api-key': 'key-124' }],
    ['/v1/bookings?api_key=nope', {}],
    ['/admin/state', {}],
  ] as const) {
    const res = await call(path, { headers });
    assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
    assert.equal(res.body.error, 'unauthorized');
    assert.equal(typeof res.body.message, 'string');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
  }
  assert.equal((await call('/health')).status, 200, 'the health check needs no credentials');
});

test('OAuth2 client credentials: form-encoded, JSON and HTTP Basic requests get a bearer token that works', async () => {
  const viaForm = await call('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'client-a', client_secret: 's3cret' }));
  assert.equal(viaForm.status, 200);
  assert.equal(viaForm.body.token_type, 'Bearer');
  assert.equal(viaForm.body.expires_in, 60);
  assert.equal(typeof viaForm.body.access_token, 'string');
  const viaJson = await call('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'client-a', client_secret: 's3cret' }),
  });
  assert.equal(viaJson.status, 200);
  assert.notEqual(viaJson.body.access_token, viaForm.body.access_token);
  const viaBasic = await call('/oauth/token', {
    ...form({ grant_type: 'client_credentials' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('client-a:s3cret').toString('base64')}` },
  });
  assert.equal(viaBasic.status, 200);
  for (const token of [viaForm, viaJson, viaBasic].map((r) => r.body.access_token as string)) {
    assert.equal((await call('/v1/activities', { headers: { authorization: `Bearer ${token}` } })).status, 200);
  }
});

test('the token endpoint refuses a wrong secret (401), an unknown grant type and missing fields (400)', async () => {
  const wrong = await call('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'client-a', client_secret: 'guess' }));
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'invalid_client');
  const grant = await call('/oauth/token', form({ grant_type: 'password', client_id: 'client-a', client_secret: 's3cret' }));
  assert.equal(grant.status, 400);
  assert.equal(grant.body.error, 'unsupported_grant_type');
  const missing = await call('/oauth/token', form({ grant_type: 'client_credentials' }));
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error, 'invalid_request');
  const unknown = await call('/v1/parks', { headers: { authorization: 'Bearer not-a-token' } });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.error, 'invalid_token');
});

test('a token stops working once its lifetime has passed: 401 invalid_token saying it expired', async () => {
  const { body } = await call('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'client-a', client_secret: 's3cret' }));
  const headers = { authorization: `Bearer ${body.access_token as string}` };
  wallClock += 59_000;
  assert.equal((await call('/v1/parks', { headers })).status, 200);
  wallClock += 1_000;
  const expired = await call('/v1/parks', { headers });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error, 'invalid_token');
  assert.match(expired.body.message as string, /expired at 2030-01-01T00:01:00/);
  assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test('short real lifetimes expire with the wall clock', async () => {
  const shortLived = await startSimulatorServer({ sim: createSimulator({ scale: 0.01, now: '2022-03-01T00:00:00Z' }), tokenTtlSeconds: 1 });
  try {
    const res = await fetch(`${shortLived.url}/oauth/token`, form({ grant_type: 'client_credentials', client_id: shortLived.clientId, client_secret: shortLived.clientSecret }));
    const token = ((await res.json()) as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${shortLived.url}/v1/parks`, { headers })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await fetch(`${shortLived.url}/v1/parks`, { headers })).status, 401);
  } finally {
    await shortLived.close();
  }
});
