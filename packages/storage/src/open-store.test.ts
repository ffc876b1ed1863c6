import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { LocalObjectStore, MemoryObjectStore, S3ObjectStore, isStorageError, openStore } from './index.ts';

const AWS_VARS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION'];

function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(AWS_VARS.map((k) => [k, process.env[k]]));
  for (const k of AWS_VARS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('openStore', () => {
  it('opens a local path or file:// URI as a LocalObjectStore', () => {
    const dir = join(tmpdir(), 'strata-open-store', 'lake');
    const byPath = openStore(dir);
    assert.ok(byPath instanceof LocalObjectStore);
    assert.equal(byPath.root, pathToFileURL(dir).href);
    const byUri = openStore(pathToFileURL(dir).href);
    assert.ok(byUri instanceof LocalObjectStore);
    assert.equal(byUri.localPath('x'), join(dir, 'x'));
    assert.ok(openStore('relative/lake') instanceof LocalObjectStore);
  });

  it('opens s3:// with the configuration from the AWS environment', () => {
    const store = withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'eu-west-3' }, () =>
      openStore('s3://lake-bucket/gold'),
    );
    assert.ok(store instanceof S3ObjectStore);
    assert.equal(store.root, 's3://lake-bucket/gold');
    assert.deepEqual(store.config, {
      bucket: 'lake-bucket',
      prefix: 'gold',
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
  });

  it('opens memory:// stores shared by name', async () => {
    const a = openStore('memory://open-store-test');
    assert.ok(a instanceof MemoryObjectStore);
    await a.put('t/x', new Uint8Array([1]));
    assert.deepEqual(await openStore('memory://open-store-test').get('t/x'), new Uint8Array([1]));
    const child = openStore('memory://open-store-test/t');
    assert.equal(child.root, 'memory://open-store-test/t');
    assert.deepEqual((await child.list('')).map((m) => m.key), ['x']);
    assert.deepEqual(await openStore('memory://other-name').list(''), []);
  });

  it('rejects other locations with STORAGE_INVALID_LOCATION naming them', () => {
    for (const location of ['gs://bucket/x', 'http://host/lake', 'memory://', 'file://remote-host/share', 's3://', '']) {
      assert.throws(
        () => openStore(location),
        (e) => isStorageError(e, 'STORAGE_INVALID_LOCATION') && e.message.includes(location),
        JSON.stringify(location),
      );
    }
  });
});
