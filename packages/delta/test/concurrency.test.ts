import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DuckDbEngine as Engine } from '@strata/delta';
import { DeltaTable, DuckDbEngine, isDeltaError } from '@strata/delta';
import type { ObjectStore, PutBody } from '@strata/storage';
import { LocalObjectStore } from '@strata/storage';
import { DelegatingStore, s3TestStore } from '@strata/storage/testing';
import { Child } from './child.ts';
import { STORE_KINDS } from './stores.ts';
import { tempDir } from './temp.ts';

/**
 * Optimistic concurrency: many processes committing to one table at once, on local disk and on S3,
 * and the conflict rules between pairs of in-process transactions that read the same version.
 */

const APPEND_WRITER = fileURLToPath(new URL('./fixtures/append-writer.ts', import.meta.url));
const WRITERS = 8;
const COMMITS = 5;
const ROWS = 50;

interface Target {
  /** For this process. */
  readonly store: ObjectStore;
  /** For child processes: the location and the environment `openStore` needs to reach it. */
  readonly location: string;
  readonly env: Readonly<Record<string, string>>;
}

const TARGETS: readonly { name: string; make: (label: string) => Promise<Target> }[] = [
  {
    name: 'local disk',
    make: async (label) => {
      const location = join(tempDir(), label);
      return { store: new LocalObjectStore({ directory: location }), location, env: {} };
    },
  },
  {
    name: 'S3',
    make: async (label) => {
      const s3 = await s3TestStore(label);
      return { store: s3.store.child(label), location: `${s3.uri}/${label}`, env: s3.env };
    },
  },
];

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const COMMIT_FILE = /^_delta_log\/\d{20}\.json$/;

/**
 * Delegates to a real store, but holds the transaction's first attempt to create a commit file until
 * `gate` resolves. This only orders real operations: it makes two transactions read the same version
 * and then commit in a chosen order.
 */
class GatedStore extends DelegatingStore {
  private opened = false;
  constructor(
    inner: ObjectStore,
    private readonly gate: () => Promise<void>,
  ) {
    super(inner);
  }
  override async putIfAbsent(key: string, body: PutBody): Promise<void> {
    if (COMMIT_FILE.test(key) && !this.opened) {
      this.opened = true;
      await this.gate();
    }
    return this.inner.putIfAbsent(key, body);
  }
}

/** A gate that opens once `n` transactions are waiting at it: they then race for the same version. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  const all = deferred();
  return async () => {
    if (++waiting >= n) all.resolve();
    await all.promise;
  };
}

/** Gates under which `first` commits before `second`, both having read the same version. */
function ordered(): { first: () => Promise<void>; second: () => Promise<void>; firstDone: () => void } {
  const secondArrived = deferred();
  const firstDone = deferred();
  return {
    first: () => secondArrived.promise,
    second: async () => {
      secondArrived.resolve();
      await firstDone.promise;
    },
    firstDone: firstDone.resolve,
  };
}

const outcome = (results: readonly PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === 'fulfilled' ? 'fulfilled' : String(r.reason))).join('; ');
const isConflict = (r: PromiseSettledResult<unknown>) => r.status === 'rejected' && isDeltaError(r.reason, 'DELTA_CONCURRENT_MODIFICATION');

describe('concurrent commits', () => {
  let engine: Engine;
  before(async () => {
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  after(async () => {
    await engine.close();
  });

  const ids = async (t: DeltaTable) => (await t.read<{ id: number }>({ orderBy: 'id' })).map((r) => r.id);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  for (const target of TARGETS) {
    it(`${WRITERS} processes appending ${COMMITS} commits each to one table on ${target.name}: every commit lands once`, async () => {
      const { store, location, env } = await target.make('appends');
      const table = await DeltaTable.open(store, { engine });
      await table.write('SELECT range AS id, 0 AS writer, 0 AS batch FROM range(0)');
      const children = range(0, WRITERS).map((w) => new Child(APPEND_WRITER, [location, String(w), String(COMMITS), String(ROWS)], env));
      await Promise.all(children.map((c) => c.line('ready')));
      for (const c of children) c.send('go');
      await Promise.all(children.map((c) => c.succeeded()));

      const total = WRITERS * COMMITS;
      const reported = children.flatMap((c, w) =>
        c.lines.filter((l) => l.startsWith('{')).map((l) => ({ writer: w, ...(JSON.parse(l) as { batch: number; version: number; committed: boolean; rows: number }) })),
      );
      assert.equal(reported.length, total);
      assert.ok(reported.every((r) => r.committed && r.rows === ROWS));
      assert.deepEqual(
        reported.map((r) => r.version).sort((a, b) => a - b),
        range(1, total + 1),
        'each commit got its own version',
      );

      const log = (await store.list('_delta_log/')).map((o) => o.key).filter((k) => COMMIT_FILE.test(k));
      assert.deepEqual(
        log.map((k) => Number(k.slice('_delta_log/'.length, -'.json'.length))),
        range(0, total + 1),
        'versions 0..N are contiguous',
      );
      // Each version holds the batch its writer was told it committed there.
      for (const r of reported) {
        const text = new TextDecoder().decode(await store.get(`_delta_log/${String(r.version).padStart(20, '0')}.json`));
        const txn = text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { txn?: { appId: string; version: number } })
          .find((a) => a.txn)?.txn;
        assert.deepEqual([txn?.appId, txn?.version], [`writer-${r.writer}`, r.batch], `version ${r.version}`);
      }

      const snapshot = await table.snapshot();
      assert.equal(snapshot.version, total);
      for (let w = 0; w < WRITERS; w++) assert.equal(snapshot.txnVersion(`writer-${w}`), COMMITS - 1);
      const [counts] = await engine.query<{ n: number; distinct: number; min: number; max: number; batches: number }>(
        `SELECT count(*) AS n, count(DISTINCT id) AS distinct, min(id) AS min, max(id) AS max, count(DISTINCT (writer, batch)) AS batches
         FROM (${await table.scanSqlOf(snapshot)})`,
      );
      assert.deepEqual(counts, { n: total * ROWS, distinct: total * ROWS, min: 0, max: total * ROWS - 1, batches: total });

      const history = await table.history();
      assert.deepEqual(
        history.map((h) => h.version),
        range(0, total + 1).reverse(),
      );
      const appends = history.filter((h) => h.version > 0);
      assert.ok(appends.every((h) => h.operation === 'WRITE' && h.isBlindAppend === true && h.operationMetrics?.numOutputRows === String(ROWS)));
      assert.ok(
        appends.some((h) => h.readVersion !== h.version - 1),
        'some writers lost a race and committed after re-checking (the test really ran them concurrently)',
      );
    });
  }

  for (const kind of STORE_KINDS) {
    describe(`pairs of transactions that read the same version, on ${kind.name}`, () => {
      let n = 0;
      const engines: Engine[] = [];
      after(async () => {
        for (const e of engines) await e.close();
      });
      /**
       * A table of ids 0..99 written in `batches` appends, and ways to open it again as another writer
       * would: with its own engine, directly or through a gated store.
       */
      async function setup(batches = 1) {
        const store = await kind.make(`pair${n++}`);
        const plain = await DeltaTable.open(store, { engine });
        const size = 100 / batches;
        for (let b = 0; b < batches; b++) await plain.write(`SELECT range AS id FROM range(${b * size}, ${(b + 1) * size})`);
        const writer = async (s: ObjectStore = store) => {
          const own = await DuckDbEngine.create({ threads: 1 });
          engines.push(own);
          return DeltaTable.open(s, { engine: own });
        };
        const gated = (gate: () => Promise<void>) => writer(new GatedStore(store, gate));
        return { plain, writer, gated };
      }

      it('two deletes of overlapping rows: one fails with DELTA_CONCURRENT_MODIFICATION, no row comes back', async () => {
        const { plain, gated } = await setup();
        const gate = barrier(2);
        const [a, b] = [await gated(gate), await gated(gate)];
        const results = await Promise.allSettled([a.delete('id < 60'), b.delete('id >= 40')]);
        assert.equal(results.filter(isConflict).length, 1, outcome(results));
        const won = results.findIndex((r) => r.status === 'fulfilled');
        assert.deepEqual(await ids(plain), won === 0 ? range(60, 100) : range(0, 40));
        assert.equal((await plain.snapshot()).version, 1);
      });

      it('two deletes of overlapping rows started together without coordination: a conflict or a consistent result', async () => {
        const { plain, writer } = await setup();
        const [a, b] = [await writer(), await writer()];
        const results = await Promise.allSettled([a.delete('id < 60'), b.delete('id >= 40')]);
        const version = (await plain.snapshot()).version;
        if (results.every((r) => r.status === 'fulfilled')) {
          assert.deepEqual(await ids(plain), [], 'both deletes took effect');
          assert.equal(version, 2);
        } else {
          assert.equal(results.filter(isConflict).length, 1, outcome(results));
          assert.deepEqual(await ids(plain), results[0]?.status === 'fulfilled' ? range(60, 100) : range(0, 40));
          assert.equal(version, 1);
        }
      });

      it('an append concurrent with a delete does not conflict (blind append)', async () => {
        const { plain, gated } = await setup();
        const gate = barrier(2);
        const [d, w] = [await gated(gate), await gated(gate)];
        const results = await Promise.allSettled([d.delete('id < 10'), w.write('SELECT 5::BIGINT AS id UNION ALL SELECT 1000::BIGINT')]);
        assert.deepEqual(
          results.map((r) => r.status),
          ['fulfilled', 'fulfilled'],
          outcome(results),
        );
        // WriteSerializable: the outcome is that of the delete followed by the append.
        assert.deepEqual(await ids(plain), [5, ...range(10, 100), 1000]);
        const history = await plain.history();
        assert.deepEqual(history.map((h) => h.operation).slice(0, 2).sort(), ['DELETE', 'WRITE']);
      });

      it('optimize then a delete of a compacted file: the delete conflicts', async () => {
        const { plain, gated } = await setup(5);
        const filesBefore = (await plain.snapshot()).files.length;
        assert.equal(filesBefore, 5);
        const order = ordered();
        const opt = await gated(order.first);
        const del = await gated(order.second);
        const results = await Promise.allSettled([opt.optimize().finally(order.firstDone), del.delete('id = 3')]);
        assert.equal(results[0]?.status, 'fulfilled', outcome(results));
        assert.ok(isConflict(results[1] as PromiseSettledResult<unknown>), outcome(results));
        const snapshot = await plain.snapshot();
        assert.equal(snapshot.files.length, 1);
        assert.deepEqual(await ids(plain), range(0, 100), 'the failed delete removed nothing');
      });

      it('a delete then optimize of the file it rewrote: optimize conflicts', async () => {
        const { plain, gated } = await setup(5);
        const order = ordered();
        const del = await gated(order.first);
        const opt = await gated(order.second);
        const results = await Promise.allSettled([del.delete('id = 3').finally(order.firstDone), opt.optimize()]);
        assert.equal(results[0]?.status, 'fulfilled', outcome(results));
        assert.ok(isConflict(results[1] as PromiseSettledResult<unknown>), outcome(results));
        assert.deepEqual(await ids(plain), range(0, 100).filter((i) => i !== 3), 'the compaction did not bring the deleted row back');
        assert.equal((await plain.snapshot()).files.length, 5);
      });

      it('concurrent reads through one shared engine all succeed', async () => {
        const { plain } = await setup();
        const readers = await Promise.all([1, 2, 3, 4].map(() => DeltaTable.open(plain.store, { engine })));
        // Each round adds a file no reader has fetched yet, which all four then fetch at once.
        for (let round = 1; round <= 10; round++) {
          await plain.write(`SELECT ${1000 + round}::BIGINT AS id`);
          const results = await Promise.allSettled(readers.map((r) => ids(r)));
          assert.deepEqual(
            results.map((r) => (r.status === 'fulfilled' ? r.value.length : String(r.reason))),
            [1, 2, 3, 4].map(() => 100 + round),
            `round ${round}`,
          );
        }
      });
    });
  }
});
