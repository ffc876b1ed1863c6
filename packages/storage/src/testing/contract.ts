import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../errors.ts';
import type { StorageErrorCode } from '../errors.ts';
import type { ObjectStore } from '../object-store.ts';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** Asserts that `promise` rejects with a StorageError of `code`, and returns that error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: StorageErrorCode) {
  const err: unknown = await promise.then(
    () => assert.fail(`expected StorageError ${code}, but the call succeeded`),
    (e: unknown) => e,
  );
  assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
  return err;
}

/**
 * The ObjectStore contract (see object-store.ts) as a test suite, run once per implementation.
 * `makeStore` is called once; every test works in its own fresh `child` of that store.
 */
export function describeObjectStoreContract(name: string, makeStore: () => ObjectStore | Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let root: ObjectStore;
    let tmp: string;
    const fresh = () => root.child(`t-${randomUUID()}`);

    before(async () => {
      root = await makeStore();
      tmp = await mkdtemp(join(tmpdir(), 'strata-contract-'));
    });
    after(() => rm(tmp, { recursive: true, force: true }));

    it('put then get returns the same bytes; put replaces', async () => {
      const store = fresh();
      const data = randomBytes(4096);
      await store.put('a/b.bin', data);
      assert.deepEqual(Buffer.from(await store.get('a/b.bin')), data);
      await store.put('a/b.bin', text('second'));
      assert.equal(decode(await store.get('a/b.bin')), 'second');
      await store.put('empty', new Uint8Array());
      assert.equal((await store.get('empty')).byteLength, 0);
    });

    it('put and putIfAbsent stream a { file } body', async () => {
      const store = fresh();
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const file = join(tmp, `${randomUUID()}.bin`);
      await writeFile(file, data);
      await store.put('data/part-0.parquet', { file });
      assert.ok(Buffer.from(await store.get('data/part-0.parquet')).equals(data));
      await store.putIfAbsent('data/part-1.parquet', { file });
      assert.equal((await store.head('data/part-1.parquet')).size, data.byteLength);
      await rejectsWithCode(store.putIfAbsent('data/part-1.parquet', { file }), 'STORAGE_EXISTS');
    });

    it('head gives key, size and lastModified', async () => {
      const store = fresh();
      const startedAt = Date.now();
      await store.put('dir/x.json', text('{"a":1}'));
      const meta = await store.head('dir/x.json');
      assert.equal(meta.key, 'dir/x.json');
      assert.equal(meta.size, 7);
      // S3 keeps whole seconds; allow for that and a little clock skew.
      assert.ok(meta.lastModified >= startedAt - 5_000 && meta.lastModified <= Date.now() + 5_000, `lastModified ${meta.lastModified}`);
    });

    it('get and head of a missing key fail with STORAGE_NOT_FOUND naming the key', async () => {
      const store = fresh();
      const err = await rejectsWithCode(store.get('missing/key.json'), 'STORAGE_NOT_FOUND');
      assert.match(err.message, /missing\/key\.json/);
      assert.equal(err.retryable, false);
      await rejectsWithCode(store.head('missing/key.json'), 'STORAGE_NOT_FOUND');
      await store.put('present', text('x'));
      await rejectsWithCode(store.get('present/below'), 'STORAGE_NOT_FOUND');
    });

    it('putIfAbsent creates a new key and refuses an existing one, keeping the original', async () => {
      const store = fresh();
      await store.putIfAbsent('_delta_log/00000000000000000000.json', text('first'));
      const err = await rejectsWithCode(store.putIfAbsent('_delta_log/00000000000000000000.json', text('second')), 'STORAGE_EXISTS');
      assert.match(err.message, /00000000000000000000\.json/);
      assert.equal(decode(await store.get('_delta_log/00000000000000000000.json')), 'first');
      await store.put('plain', text('by put'));
      await rejectsWithCode(store.putIfAbsent('plain', text('other')), 'STORAGE_EXISTS');
      assert.equal(decode(await store.get('plain')), 'by put');
    });

    it('of 8 concurrent putIfAbsent on one key exactly one wins', async () => {
      const store = fresh();
      const key = '_delta_log/00000000000000000001.json';
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.putIfAbsent(key, text(`writer ${i}`))));
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      assert.equal(winners.length, 1, `winners: ${winners.join(', ')}`);
      for (const r of results) {
        if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'STORAGE_EXISTS'), String(r.reason));
      }
      assert.equal(decode(await store.get(key)), `writer ${winners[0]}`);
    });

    it('list returns matching keys recursively, sorted, relative to the store', async () => {
      const store = fresh();
      const keys = [
        '_delta_log/00000000000000000010.json',
        '_delta_log/00000000000000000002.json',
        '_delta_log/00000000000000000001.checkpoint.parquet',
        '_delta_log/_last_checkpoint',
        'part=1/a.parquet',
        'part=1/sub/b.parquet',
        'part=10/c.parquet',
        'z.txt',
      ];
      await Promise.all(keys.map((k, i) => store.put(k, text('x'.repeat(i + 1)))));
      const all = await store.list('');
      assert.deepEqual(all.map((m) => m.key), [...keys].sort());
      assert.equal(all.find((m) => m.key === 'z.txt')?.size, 8);
      assert.deepEqual(
        (await store.list('_delta_log/0000')).map((m) => m.key),
        [
          '_delta_log/00000000000000000001.checkpoint.parquet',
          '_delta_log/00000000000000000002.json',
          '_delta_log/00000000000000000010.json',
        ],
      );
      assert.deepEqual((await store.list('part=1/')).map((m) => m.key), ['part=1/a.parquet', 'part=1/sub/b.parquet']);
      assert.deepEqual((await store.list('part=1')).map((m) => m.key), ['part=1/a.parquet', 'part=1/sub/b.parquet', 'part=10/c.parquet']);
      assert.deepEqual(await store.list('nothing/here/'), []);
      assert.deepEqual(await fresh().list(''), []);
    });

    it('list with startAfter returns only greater keys', async () => {
      const store = fresh();
      for (let v = 0; v < 5; v++) await store.put(`_delta_log/${String(v).padStart(20, '0')}.json`, text(`${v}`));
      await store.put('a-before', text('x'));
      const after2 = await store.list('_delta_log/', { startAfter: '_delta_log/00000000000000000002.json' });
      assert.deepEqual(after2.map((m) => m.key), ['_delta_log/00000000000000000003.json', '_delta_log/00000000000000000004.json']);
      const fromMidName = await store.list('_delta_log/', { startAfter: '_delta_log/00000000000000000001' });
      assert.deepEqual(fromMidName.map((m) => m.key).slice(0, 1), ['_delta_log/00000000000000000001.json']);
      assert.equal(fromMidName.length, 4);
      assert.deepEqual(await store.list('_delta_log/', { startAfter: '_delta_log/99' }), []);
      assert.deepEqual((await store.list('', { startAfter: '_delta_log/9' })).map((m) => m.key), ['a-before']);
    });

    it('delete removes the object; deleting a missing key succeeds', async () => {
      const store = fresh();
      await store.put('gone.txt', text('x'));
      await store.put('kept.txt', text('y'));
      await store.delete('gone.txt');
      await rejectsWithCode(store.get('gone.txt'), 'STORAGE_NOT_FOUND');
      await store.delete('gone.txt');
      await store.delete('never/existed.txt');
      assert.deepEqual((await store.list('')).map((m) => m.key), ['kept.txt']);
    });

    it('child stores are rooted below their parent', async () => {
      const store = fresh();
      const child = store.child('tables/bookings');
      assert.equal(child.root, `${store.root}/tables/bookings`);
      await child.put('_delta_log/00000000000000000000.json', text('commit'));
      assert.equal(decode(await store.get('tables/bookings/_delta_log/00000000000000000000.json')), 'commit');
      await store.put('tables/bookings-other/x', text('sibling'));
      await store.put('tables/bookings/data/y', text('inside'));
      assert.deepEqual((await child.list('')).map((m) => m.key), ['_delta_log/00000000000000000000.json', 'data/y']);
      const grandChild = child.child('data');
      assert.equal(decode(await grandChild.get('y')), 'inside');
      assert.deepEqual((await grandChild.list('')).map((m) => m.key), ['y']);
      assert.equal((await grandChild.head('y')).key, 'y');
      await rejectsWithCode(child.putIfAbsent('data/y', text('again')), 'STORAGE_EXISTS');
      await grandChild.delete('y');
      await rejectsWithCode(store.get('tables/bookings/data/y'), 'STORAGE_NOT_FOUND');
    });

    it('keys with spaces, %, =, + and unicode round-trip', async () => {
      const store = fresh();
      const spaced = 'date=2024-01-01/city=New York/part 0.parquet';
      const percent = 'pct/100%25 done%.txt';
      const keys = [spaced, percent, 'plus+and&amp;/x.json', 'unicodé/日本語/straße-ß.json', "quote'and(paren)/~tilde.bin"];
      for (const [i, k] of keys.entries()) await store.put(k, text(`value ${i}`));
      for (const [i, k] of keys.entries()) {
        assert.equal(decode(await store.get(k)), `value ${i}`, k);
        assert.equal((await store.head(k)).key, k);
      }
      assert.deepEqual((await store.list('')).map((m) => m.key), [...keys].sort());
      assert.deepEqual((await store.list('date=2024-01-01/city=New ')).map((m) => m.key), [spaced]);
      await rejectsWithCode(store.putIfAbsent(percent, text('again')), 'STORAGE_EXISTS');
      assert.deepEqual((await store.child('unicodé/日本語').list('')).map((m) => m.key), ['straße-ß.json']);
      await store.delete(spaced);
      await rejectsWithCode(store.head(spaced), 'STORAGE_NOT_FOUND');
    });
  });
}
