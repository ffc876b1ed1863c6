import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodySnippet, redactUrl, statusError } from './errors.ts';

describe('rest-api errors', () => {
  it('redacts user info, the configured key parameter and well-known secret parameters', () => {
    assert.equal(
      redactUrl('https://user:pw@api.example.com/x?key=abc&Access_Token=t&page=2&q=a%20b', ['key']),
      'https://api.example.com/x?key=***&Access_Token=***&page=2&q=a+b',
    );
    assert.equal(redactUrl('https://api.example.com/x?page=2'), 'https://api.example.com/x?page=2');
  });

  it('maps statuses: 401 to CONNECTOR_AUTH, other 4xx final, 429 and 5xx retryable', () => {
    assert.equal(statusError('s', 'u', 401, '', 0).code, 'CONNECTOR_AUTH');
    const notFound = statusError('s', 'u', 404, 'gone', 0);
    assert.equal(notFound.code, 'CONNECTOR_HTTP');
    assert.equal(notFound.retryable, false);
    assert.equal(notFound.message, 'stream s: GET u failed with HTTP 404: gone');
    const down = statusError('s', 'u', 503, '', 1);
    assert.equal(down.retryable, true);
    assert.equal(down.message, 'stream s: GET u failed with HTTP 503 after 1 retry: (empty body)');
  });

  it('keeps the first 200 characters of a body, on one line', () => {
    assert.equal(bodySnippet('a\n  b'), 'a b');
    assert.equal(bodySnippet('x'.repeat(250)), `${'x'.repeat(200)}…`);
  });
});
