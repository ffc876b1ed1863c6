import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillPath, joinUrl, withParams } from './url.ts';

describe('url', () => {
  it('joins a path to base_url with exactly one slash', () => {
    for (const [base, path] of [
      ['https://api.example.com/v1', '/bookings'],
      ['https://api.example.com/v1/', 'bookings'],
      ['https://api.example.com/v1/', '/bookings'],
      ['https://api.example.com/v1', 'bookings'],
    ]) {
      assert.equal(joinUrl(base ?? '', path ?? '').href, 'https://api.example.com/v1/bookings', `${base} + ${path}`);
    }
    assert.equal(joinUrl('https://api.example.com', 'bookings').href, 'https://api.example.com/bookings');
    assert.equal(joinUrl('https://api.example.com/v1', '').href, 'https://api.example.com/v1');
  });

  it('keeps query strings of the base and the path; an absolute path is used as is', () => {
    assert.equal(joinUrl('https://api.example.com/v1?tenant=a', '/b?x=1&y=a%20b').href, 'https://api.example.com/v1/b?tenant=a&x=1&y=a+b');
    assert.equal(joinUrl('https://api.example.com/v1', 'https://other.example.com/z').href, 'https://other.example.com/z');
  });

  it('sets params (encoded) and fills placeholders (encoded)', () => {
    const url = withParams(new URL('https://a.example/x?keep=1'), { q: 'é & =', n: 2, b: false });
    assert.equal(url.search, '?keep=1&q=%C3%A9+%26+%3D&n=2&b=false');
    assert.equal(fillPath('/parks/{id}/bookings', 'id', 'a/b c'), '/parks/a%2Fb%20c/bookings');
    assert.equal(joinUrl('https://a.example/v1', fillPath('/parks/{id}', 'id', 'a/b')).pathname, '/v1/parks/a%2Fb');
  });
});
