import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rejectsWithCode } from '../testing/index.ts';
import { S3ObjectStore } from '../index.ts';

// moto cannot be made to throttle, so a tiny server answers every request with 503 SlowDown.
describe('S3ObjectStore under throttling', () => {
  let server: Server;
  let store: S3ObjectStore;
  let dir: string;
  let puts = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-s3-retry-'));
    server = createServer((req, res) => {
      if (req.method === 'PUT') puts++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    store = new S3ObjectStore({
      bucket: 'throttled',
      prefix: 'lake',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${address.port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('retries byte and file bodies alike, then fails with a retryable STORAGE_UNAVAILABLE', async () => {
    puts = 0;
    const err = await rejectsWithCode(store.putIfAbsent('t/bytes', randomBytes(1000)), 'STORAGE_UNAVAILABLE');
    assert.equal(err.retryable, true);
    assert.match(err.message, /s3:\/\/throttled\/lake\/t\/bytes/);
    assert.equal(puts, 3);

    puts = 0;
    const file = join(dir, 'part-0.parquet');
    await writeFile(file, randomBytes(64 * 1024));
    await rejectsWithCode(store.put('t/file', { file }), 'STORAGE_UNAVAILABLE');
    assert.equal(puts, 3);
  });
});
