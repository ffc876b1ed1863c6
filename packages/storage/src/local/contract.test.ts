import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeObjectStoreContract, rejectsWithCode } from '../testing/index.ts';
import { LocalObjectStore, isStorageError } from '../index.ts';

const text = (s: string) => new TextEncoder().encode(s);
const dirs: string[] = [];

async function tempStore(): Promise<LocalObjectStore> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-local-store-'));
  dirs.push(dir);
  return new LocalObjectStore({ directory: dir });
}

after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describeObjectStoreContract('local', tempStore);

describe('LocalObjectStore', () => {
  let store: LocalObjectStore;
  let dir: string;

  before(async () => {
    store = await tempStore();
    dir = store.localPath('');
  });

  it('refuses keys that escape the root', async () => {
    for (const key of ['../x', 'a/../../x', '../../etc/passwd']) {
      const err = await rejectsWithCode(store.get(key), 'STORAGE_PERMISSION_DENIED');
      assert.match(err.message, /escapes|permission/);
      await rejectsWithCode(store.put(key, text('x')), 'STORAGE_PERMISSION_DENIED');
      await rejectsWithCode(store.putIfAbsent(key, text('x')), 'STORAGE_PERMISSION_DENIED');
      await rejectsWithCode(store.delete(key), 'STORAGE_PERMISSION_DENIED');
    }
    assert.throws(() => store.child('../outside'), (e) => isStorageError(e, 'STORAGE_PERMISSION_DENIED'));
  });

  it('gives the local path of a key below the root', async () => {
    await store.put('t/part-0.parquet', text('bytes'));
    const path = store.localPath('t/part-0.parquet');
    assert.equal(path, join(dir, 't', 'part-0.parquet'));
    assert.equal(await readFile(path, 'utf8'), 'bytes');
  });

  it('never lists temporary files, even while writes are in flight', async () => {
    const s = store.child('temp-files');
    await mkdir(join(dir, 'temp-files', 'sub'), { recursive: true });
    await writeFile(join(dir, 'temp-files', '.strata-tmp-stale'), 'left by a crash');
    await writeFile(join(dir, 'temp-files', 'sub', '.strata-tmp-stale'), 'left by a crash');
    const big = new Uint8Array(256 * 1024);
    const writes = Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? s.put(`sub/f${i}`, big) : s.putIfAbsent(`sub/f${i % 4}`, big).catch(() => undefined))),
    );
    const seen = new Set<string>();
    let done = false;
    void writes.then(() => (done = true));
    while (!done) for (const m of await s.list('')) seen.add(m.key);
    await writes;
    for (const m of await s.list('')) seen.add(m.key);
    assert.ok(seen.size > 0);
    for (const key of seen) assert.ok(!key.includes('.strata-tmp-'), key);
  });

  it('removes its temporary file when putIfAbsent loses', async () => {
    const s = store.child('lost');
    await s.put('k', text('first'));
    await rejectsWithCode(s.putIfAbsent('k', text('second')), 'STORAGE_EXISTS');
    assert.deepEqual(await readdir(join(dir, 'lost')), ['k']);
  });
});
