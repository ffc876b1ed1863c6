import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeltaTable, DuckDbEngine, isDeltaError } from '@strata/delta';
import type { PutBody } from '@strata/storage';
import { MemoryObjectStore, StorageError } from '@strata/storage';

/** A store whose conditional puts land but whose replies are lost once: the retry sees "exists". */
class LostReplyStore extends MemoryObjectStore {
  loseNext = false;
  override async putIfAbsent(key: string, body: PutBody): Promise<void> {
    await super.putIfAbsent(key, body);
    if (this.loseNext && key.endsWith('.json')) {
      this.loseNext = false;
      throw new StorageError('STORAGE_EXISTS', `an object already exists at ${key}`);
    }
  }
}

/** A store that fails every conditional put with a transient error. */
class FailingStore extends MemoryObjectStore {
  failing = false;
  override async putIfAbsent(key: string, body: PutBody): Promise<void> {
    if (this.failing) throw new StorageError('STORAGE_UNAVAILABLE', 'connection reset');
    return super.putIfAbsent(key, body);
  }
}

describe('transactions', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  it('recognises its own commit when a put landed but its reply was lost', async () => {
    const store = new LostReplyStore({ name: 'lost-reply' });
    const t = await DeltaTable.open(store, { engine });
    await t.write('SELECT range AS id FROM range(3)');
    store.loseNext = true;
    const r = await t.write('SELECT range AS id FROM range(3, 5)');
    assert.equal(r.version, 1);
    assert.equal((await t.snapshot()).version, 1, 'no duplicate commit');
    assert.equal((await t.read()).length, 5);
  });

  it('leaves the table at its last version when the commit cannot be written', async () => {
    const store = new FailingStore({ name: 'failing' });
    const t = await DeltaTable.open(store, { engine });
    await t.write('SELECT range AS id FROM range(3)');
    store.failing = true;
    await assert.rejects(
      () => t.write('SELECT 9 AS id'),
      (e: unknown) => isDeltaError(e, 'DELTA_STORAGE') && e.retryable,
    );
    store.failing = false;
    assert.equal((await t.snapshot()).version, 0);
    assert.equal((await t.read()).length, 3);
  });

  it('rebases a blind append over a concurrent commit without rewriting data', async () => {
    const store = new MemoryObjectStore({ name: 'rebase' });
    const a = await DeltaTable.open(store, { engine });
    await a.write('SELECT range AS id FROM range(3)');
    const b = await DeltaTable.open(store, { engine });
    // Both start from version 0; the second to commit loses the race and lands at version 2.
    const results = await Promise.all([a.write('SELECT 10 AS id'), b.write('SELECT 20 AS id')]);
    assert.deepEqual(results.map((r) => r.version).sort(), [1, 2]);
    assert.deepEqual(
      (await a.read({ orderBy: 'id' })).map((r) => r.id),
      [0, 1, 2, 10, 20],
    );
  });

  it('fails a delete whose rows were changed by a concurrent delete', async () => {
    const store = new MemoryObjectStore({ name: 'conflict' });
    const t = await DeltaTable.open(store, { engine });
    await t.write('SELECT range AS id FROM range(10)');
    const results = await Promise.allSettled([t.delete('id < 5'), t.delete('id < 3')]);
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed) {
      assert.ok(isDeltaError((f as PromiseRejectedResult).reason, 'DELTA_CONCURRENT_MODIFICATION'), String((f as PromiseRejectedResult).reason));
    }
    const ids = (await t.read({ orderBy: 'id' })).map((r) => r.id);
    assert.deepEqual(ids, [5, 6, 7, 8, 9]);
  });

  it('keeps its latest snapshot current with commits made by other writers', async () => {
    const store = new MemoryObjectStore({ name: 'cache' });
    const a = await DeltaTable.open(store, { engine });
    const b = await DeltaTable.open(store, { engine });
    await a.write('SELECT range AS id FROM range(2)');
    assert.equal((await b.snapshot()).version, 0);
    await a.write('SELECT 7 AS id');
    await a.delete('id = 0');
    const latest = await b.snapshot();
    assert.equal(latest.version, 2);
    assert.deepEqual(
      (await b.read({ orderBy: 'id' })).map((r) => r.id),
      [1, 7],
    );
    assert.equal((await b.snapshot({ version: 2 })).version, 2);
    assert.equal((await b.read({ version: 0 })).length, 2, 'older versions still load');
  });
});
