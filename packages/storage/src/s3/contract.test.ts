import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describeObjectStoreContract, rejectsWithCode, s3TestStore } from '../testing/index.ts';
import type { S3TestStore } from '../testing/index.ts';
import { S3ObjectStore, s3ConfigFromEnv } from '../index.ts';

const text = (s: string) => new TextEncoder().encode(s);

describeObjectStoreContract('s3', async () => (await s3TestStore('contract')).store);

describe('S3ObjectStore', () => {
  let t: S3TestStore;

  before(async () => {
    t = await s3TestStore('s3-store');
  });

  it('is named by its s3:// URI and has no local paths', () => {
    assert.match(t.uri, /^s3:\/\/strata-s3-store-[0-9a-f]{12}$/);
    assert.equal(t.store.root, t.uri);
    assert.equal(t.store.localPath(), undefined);
  });

  it('the server refuses a second conditional PUT with HTTP 412', async () => {
    const { bucket, endpoint, region, credentials } = t.store.config;
    const client = new S3Client({ region, endpoint, forcePathStyle: true, credentials });
    const put = (body: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/if-none-match', Body: body, IfNoneMatch: '*' }));
    await put('first');
    const err: unknown = await put('second').then(() => assert.fail('second conditional PUT succeeded'), (e: unknown) => e);
    assert.equal((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 412);
    assert.equal(new TextDecoder().decode(await t.store.get('raw/if-none-match')), 'first');
    client.destroy();
  });

  it('roots a store at a prefix given in the URI', async () => {
    const lake = new S3ObjectStore(s3ConfigFromEnv(`${t.uri}/lake/tables/`, t.env));
    assert.equal(lake.root, `${t.uri}/lake/tables`);
    await lake.put('bookings/_delta_log/00000000000000000000.json', text('{}'));
    assert.deepEqual((await t.store.list('lake/')).map((m) => m.key), ['lake/tables/bookings/_delta_log/00000000000000000000.json']);
    assert.deepEqual((await lake.list('bookings/_delta_log/0')).map((m) => m.key), ['bookings/_delta_log/00000000000000000000.json']);
    const err = await rejectsWithCode(lake.get('bookings/missing'), 'STORAGE_NOT_FOUND');
    assert.match(err.message, new RegExp(`${t.uri}/lake/tables/bookings/missing`));
  });

  it('lists across pages', async () => {
    const store = t.store.child('paged');
    const keys = Array.from({ length: 1010 }, (_, i) => `_delta_log/${String(i).padStart(20, '0')}.json`);
    for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map((k) => store.put(k, text('x'))));
    assert.deepEqual((await store.list('_delta_log/')).map((m) => m.key), keys);
    const tail = await store.list('_delta_log/', { startAfter: keys[50] });
    assert.deepEqual(tail.map((m) => m.key), keys.slice(51));
  });

  it('hands a child process what it needs to open the bucket', async () => {
    await t.store.put('shared/hello.txt', text('hello from the parent'));
    const script = [
      `const { openStore } = await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)});`,
      `const store = openStore(process.argv[1]);`,
      `process.stdout.write(new TextDecoder().decode(await store.get('hello.txt')));`,
    ].join('\n');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--no-warnings', '-e', script, `${t.uri}/shared`],
      { env: { ...env, ...t.env } },
    );
    assert.equal(stdout, 'hello from the parent');
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE naming the key', async () => {
    const port = await closedPort();
    const store = new S3ObjectStore({ ...t.store.config, endpoint: `http://127.0.0.1:${port}` });
    const err = await rejectsWithCode(store.get('some/key.json'), 'STORAGE_UNAVAILABLE');
    assert.equal(err.retryable, true);
    assert.match(err.message, new RegExp(`${t.uri}/some/key\\.json`));
    await rejectsWithCode(store.put('k', text('x')), 'STORAGE_UNAVAILABLE');
    await rejectsWithCode(store.list(''), 'STORAGE_UNAVAILABLE');
  });

  it('reports a missing bucket as STORAGE_INVALID_LOCATION', async () => {
    const store = new S3ObjectStore({ ...t.store.config, bucket: `${t.store.config.bucket}-missing` });
    await rejectsWithCode(store.list(''), 'STORAGE_INVALID_LOCATION');
    await rejectsWithCode(store.put('k', text('x')), 'STORAGE_INVALID_LOCATION');
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
