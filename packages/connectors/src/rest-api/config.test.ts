import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { isConnectorError } from '../errors.ts';
import { RestApiSourceConfigSchema } from './config.ts';
import { restApiSource } from './source.ts';

// The documented example, as the YAML loader hands it over.
const EXAMPLE = {
  base_url: 'https://api.example.com/v1',
  headers: { Accept: 'application/json' },
  auth: { type: 'oauth2_client_credentials', token_url: 'https://auth.example.com/token', client_id: 'app', client_secret: 's3cret', scope: 'read' },
  pagination: { type: 'cursor', cursor_param: 'cursor', cursor_path: 'next_cursor', page_size: 100, limit_param: 'limit' },
  rate_limit: { requests_per_second: 10, concurrency: 4 },
  retry: { max_retries: 5, initial_delay_ms: 500, max_delay_ms: 30000 },
  timeout_ms: 30000,
  streams: [
    { name: 'parks', path: '/parks', pagination: { type: 'link_header' } },
    {
      name: 'bookings',
      path: '/bookings',
      params: { status: 'all' },
      records_path: 'data',
      primary_key: ['id'],
      incremental: { cursor_field: 'updated_at', param: 'updated_since', start: '2022-01-01T00:00:00Z', lookback_seconds: 3600 },
    },
    { name: 'park_bookings', path: '/parks/{park_id}/bookings', parent: { stream: 'parks', key: 'id', as: 'park_id' } },
  ],
};

/** The first issue as `path: message`. */
function firstIssue(config: unknown): string {
  const result = RestApiSourceConfigSchema.safeParse(config);
  assert.equal(result.success, false, 'expected the configuration to be invalid');
  const issue = result.error?.issues[0];
  return `${issue?.path.join('.')}: ${issue?.message}`;
}

const base = { base_url: 'https://api.example.com', streams: [{ name: 's', path: '/s' }] };

describe('RestApiSourceConfigSchema', () => {
  it('accepts the documented example and applies defaults', () => {
    const config = RestApiSourceConfigSchema.parse(EXAMPLE);
    assert.equal(config.streams.length, 3);
    assert.deepEqual(config.streams[1]?.incremental, { cursor_field: 'updated_at', param: 'updated_since', start: '2022-01-01T00:00:00Z', lookback_seconds: 3600 });
    const minimal = RestApiSourceConfigSchema.parse({ ...base, pagination: { type: 'offset' } });
    assert.deepEqual(minimal.retry, { max_retries: 5, initial_delay_ms: 500, max_delay_ms: 30_000, max_retry_after_ms: 600_000 });
    assert.equal(minimal.timeout_ms, 30_000);
    assert.deepEqual(minimal.pagination, { type: 'offset', limit_param: 'limit', offset_param: 'offset', page_size: 100 });
  });

  it('reports precise paths and messages', () => {
    assert.equal(firstIssue({ ...base, base_url: 'ftp://x' }), 'base_url: an http(s) URL such as https://api.example.com/v1');
    assert.equal(firstIssue({ ...base, pagination: { type: 'pages' } }), "pagination.type: Invalid discriminator value. Expected 'offset' | 'page' | 'cursor' | 'link_header' | 'next_url' | 'none'");
    assert.equal(firstIssue({ ...base, pagination: { type: 'page', page_size: 0 } }), 'pagination.page_size: Too small: expected number to be >0');
    assert.equal(firstIssue({ ...base, auth: { type: 'bearer' } }), 'auth.token: Invalid input: expected string, received undefined');
    assert.equal(firstIssue({ ...base, auth: { type: 'bearer', token: 'x', header: 'y' } }), 'auth: Unrecognized key: "header"');
    assert.equal(
      firstIssue({ ...base, auth: { type: 'api_key', header: 'X-Key', query: 'key', value: 'v' } }),
      'auth: give exactly one of header (e.g. header: X-API-Key) or query (e.g. query: api_key)',
    );
    assert.equal(firstIssue({ ...base, streams: [{ name: 's', path: '/s', params: { a: null } }] }), 'streams.0.params.a: a string, number or boolean');
    assert.equal(firstIssue({ ...base, streams: [{ name: 'my stream', path: '/s' }] }), 'streams.0.name: a name of letters, digits and _ (not starting with a digit)');
    assert.equal(
      firstIssue({ ...base, streams: [{ name: 's', path: '/s', incremental: { cursor_field: 'u', param: 'since', start: 'yesterday' } }] }),
      'streams.0.incremental.start: an ISO timestamp (2022-01-01T00:00:00Z) or a number',
    );
    assert.equal(firstIssue({ ...base, streams: [] }), 'streams: at least one stream');
  });

  it('checks streams against each other', () => {
    const s = (name: string, extra: object = {}) => ({ name, path: `/${name}`, ...extra });
    assert.equal(firstIssue({ ...base, streams: [s('a'), s('a')] }), 'streams.1.name: duplicate stream name a');
    assert.equal(
      firstIssue({ ...base, streams: [s('a'), s('b', { parent: { stream: 'c', key: 'id', as: 'x' } })] }),
      'streams.1.parent.stream: no stream named c (streams: a, b)',
    );
    assert.equal(
      firstIssue({ ...base, streams: [s('a'), { name: 'b', path: '/a/{a_id}/b', parent: { stream: 'a', key: 'id', as: 'id' } }] }),
      'streams.1.path: unknown placeholder {a_id}: the parent\'s value is {id}',
    );
    assert.equal(firstIssue({ ...base, streams: [{ name: 'a', path: '/a/{id}' }] }), 'streams.0.path: {id} in a path needs a parent (parent: { stream, key, as })');
    assert.equal(
      firstIssue({ ...base, streams: [s('a', { parent: { stream: 'b', key: 'id', as: 'x' } }), s('b', { parent: { stream: 'a', key: 'id', as: 'x' } })] }),
      'streams.0.parent.stream: parents form a cycle: a → b → a',
    );
  });

  it('produces a JSON Schema for the YAML editor', () => {
    const schema = z.toJSONSchema(RestApiSourceConfigSchema, { io: 'input', unrepresentable: 'any' }) as { required?: string[]; properties?: Record<string, unknown> };
    assert.deepEqual(schema.required, ['base_url', 'streams']);
    assert.ok(schema.properties?.auth && schema.properties.pagination && schema.properties.rate_limit);
  });

  it('restApiSource rejects an invalid configuration with CONNECTOR_INVALID_CONFIG naming the field', () => {
    assert.throws(
      () => restApiSource({ ...base, timeout_ms: -1 }),
      (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && e.message === 'rest_api source: timeout_ms: Too small: expected number to be >0',
    );
  });

  it('restApiSource lists the streams with their keys', () => {
    const source = restApiSource(RestApiSourceConfigSchema.parse(EXAMPLE), { name: 'rest_api:parks_api' });
    assert.equal(source.name, 'rest_api:parks_api');
    assert.deepEqual(source.streams(), [{ name: 'parks' }, { name: 'bookings', primaryKey: ['id'] }, { name: 'park_bookings' }]);
    assert.equal(restApiSource(base).name, 'rest_api:api.example.com');
  });
});
