import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DuckDbEngine as Engine, Snapshot } from '@strata/delta';
import { DeltaTable, DuckDbEngine, isDeltaError } from '@strata/delta';
import type { ObjectStore, PutBody } from '@strata/storage';
import { LocalObjectStore, StorageError, isStorageError } from '@strata/storage';
import { DelegatingStore } from '@strata/storage/testing';
import { Child } from './child.ts';
import { STORE_KINDS } from './stores.ts';
import { tempDir } from './temp.ts';

/**
 * Crash safety: a writer killed at any moment leaves the table at its last commit, with nothing
 * half-visible; what it left behind is only orphan files, which vacuum removes. A commit that the
 * store fails leaves the table at the previous version.
 */

const CRASH_WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const KILLS = 5;
/** Rows per append: about 8 MB of Parquet, so that a random kill often lands inside a write. */
const ROWS = 200_000;
const COMMIT_FILE = /^_delta_log\/\d{20}\.json$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const commitKey = (v: number) => `_delta_log/${String(v).padStart(20, '0')}.json`;

/** Data files in the store that the snapshot does not reference (the log and hidden files aside). */
async function orphans(store: ObjectStore, snapshot: Snapshot): Promise<string[]> {
  const live = new Set(snapshot.files.map((f) => decodeURIComponent(f.path)));
  return (await store.list(''))
    .map((o) => o.key)
    .filter((k) => !k.split('/').some((s) => s.startsWith('_') || s.startsWith('.')) && !live.has(k))
    .sort();
}

type Fault = 'unavailable-before-write' | 'unavailable-after-write' | 'exists-after-write';

/**
 * Delegates to a real store but fails the first attempt to create a commit file: either before the
 * object is written, or after (the write happened but its acknowledgement was lost, as when a
 * connection drops; `exists-after-write` is what the client sees when its own retry of that request
 * finds the object it already created).
 */
class FaultyCommitStore extends DelegatingStore {
  failed = false;
  constructor(
    inner: ObjectStore,
    private readonly fault: Fault,
  ) {
    super(inner);
  }
  override async putIfAbsent(key: string, body: PutBody): Promise<void> {
    if (!COMMIT_FILE.test(key) || this.failed) return this.inner.putIfAbsent(key, body);
    this.failed = true;
    if (this.fault === 'unavailable-before-write') throw new StorageError('STORAGE_UNAVAILABLE', `simulated: connection reset creating ${key}`);
    await this.inner.putIfAbsent(key, body);
    if (this.fault === 'unavailable-after-write') throw new StorageError('STORAGE_UNAVAILABLE', `simulated: timeout awaiting the answer for ${key}`);
    throw new StorageError('STORAGE_EXISTS', `simulated: ${key} already exists (a retry of a request that succeeded)`);
  }
}

describe('crash safety', () => {
  let engine: Engine;
  before(async () => {
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  after(async () => {
    await engine.close();
  });

  async function counts(table: DeltaTable, snapshot: Snapshot, where = 'true') {
    const [row] = await engine.query<{ n: number; distinct: number }>(
      `SELECT count(*) AS n, count(DISTINCT id) AS distinct FROM (${await table.scanSqlOf(snapshot)}) WHERE ${where}`,
    );
    assert.ok(row);
    return row;
  }

  it(`a writer killed with SIGKILL ${KILLS} times leaves exactly its committed rows; vacuum then removes its orphans`, async () => {
    const work = tempDir();
    const dir = join(work, 'table');
    // The killed writers cannot remove their engine's temporary folder; keep those inside `work`.
    const tmp = join(work, 'tmp');
    mkdirSync(tmp);
    after(() => rmSync(work, { recursive: true, force: true }));
    const store = new LocalObjectStore({ directory: dir });
    const table = await DeltaTable.open(store, { engine });
    await table.write(`SELECT 0::BIGINT AS id, 0 AS run, '' AS payload FROM range(0)`);
    let orphaned = 0;

    for (let run = 1; run <= KILLS; run++) {
      const before = await table.snapshot();
      const child = new Child(CRASH_WRITER, [dir, String(run), String(ROWS)], { TMPDIR: tmp });
      // Let it commit one to three batches, then kill it at a random moment of the next write.
      const batches = 1 + Math.floor(Math.random() * 3);
      await child.line(`writing ${batches}`);
      await sleep(Math.random() * 150);
      child.kill('SIGKILL');
      assert.equal((await child.exit).signal, 'SIGKILL', `the writer was still running: ${child.stderr}`);

      const reopened = await DeltaTable.open(store, { engine });
      const snapshot = await reopened.snapshot();
      const history = await reopened.history();
      assert.deepEqual(
        history.map((h) => h.version),
        Array.from({ length: snapshot.version + 1 }, (_, i) => snapshot.version - i),
      );
      const committedRows = history.reduce((n, h) => n + Number(h.operationMetrics?.numOutputRows ?? 0), 0);
      assert.deepEqual(await counts(reopened, snapshot), { n: committedRows, distinct: committedRows }, `after kill ${run}`);
      // The writer printed `committed` after each commit; the kill may have come between a commit and its line.
      const printed = child.lines.filter((l) => l.startsWith('committed ')).length;
      const landed = snapshot.version - before.version;
      assert.ok(landed === printed || landed === printed + 1, `run ${run}: ${landed} commits landed, ${printed} reported`);
      assert.ok(landed >= batches);
      assert.deepEqual(await counts(reopened, snapshot, `run = ${run}`), { n: landed * ROWS, distinct: landed * ROWS });
      orphaned = (await orphans(store, snapshot)).length;
    }

    const snapshot = await table.snapshot();
    const left = await orphans(store, snapshot);
    assert.equal(left.length, orphaned);
    assert.ok(left.length > 0, `no kill landed inside a write in ${KILLS} tries, so there was nothing to clean up`);
    const rows = await counts(table, snapshot);
    assert.deepEqual(await table.vacuum({ retentionHours: 0, dryRun: true }), { files: left, dryRun: true });
    const result = await table.vacuum({ retentionHours: 0 });
    assert.deepEqual([...result.files].sort(), left, 'vacuum deletes exactly the orphans (nothing was ever removed by a commit)');
    assert.deepEqual(await orphans(store, snapshot), []);
    for (const f of snapshot.files) await store.head(decodeURIComponent(f.path));
    assert.deepEqual(await counts(table, await table.snapshot()), rows, 'the table reads the same rows after vacuum');
  });

  for (const kind of STORE_KINDS) {
    describe(`a commit the store fails, on ${kind.name}`, () => {
      let n = 0;
      async function setup(fault: Fault) {
        const store = await kind.make(`fault${n++}`);
        const table = await DeltaTable.open(store, { engine });
        await table.write('SELECT range AS id FROM range(10)');
        const faulty = new FaultyCommitStore(store, fault);
        return { store, table, faulty, failing: await DeltaTable.open(faulty, { engine }) };
      }
      const ids = async (t: DeltaTable) => (await t.read<{ id: number }>({ orderBy: 'id' })).map((r) => r.id);

      it('STORAGE_UNAVAILABLE before the commit is written: a retryable error, the table stays at the previous version', async () => {
        const { store, table, faulty, failing } = await setup('unavailable-before-write');
        await assert.rejects(
          () => failing.write('SELECT 100::BIGINT AS id'),
          (e: unknown) =>
            isDeltaError(e, 'DELTA_STORAGE') && e.retryable && isStorageError(e.cause, 'STORAGE_UNAVAILABLE') && /cannot write commit 1/.test(e.message),
        );
        assert.ok(faulty.failed);
        assert.equal((await table.snapshot()).version, 0);
        assert.deepEqual(await ids(table), [...Array(10).keys()]);
        await assert.rejects(() => store.head(commitKey(1)), (e: unknown) => isStorageError(e, 'STORAGE_NOT_FOUND'));
        // The data file of the failed write is an orphan; vacuum removes it and only it.
        const snapshot = await table.snapshot();
        const left = await orphans(store, snapshot);
        assert.equal(left.length, 1);
        assert.deepEqual((await table.vacuum({ retentionHours: 0 })).files, left);
        // Trying again works.
        assert.equal((await failing.write('SELECT 100::BIGINT AS id')).version, 1);
        assert.deepEqual(await ids(table), [...Array(10).keys(), 100]);
      });

      it('STORAGE_UNAVAILABLE after the commit was written: the commit stands, and an idempotent retry does not repeat it', async () => {
        const { table, failing } = await setup('unavailable-after-write');
        const txn = { appId: 'loader', version: 1 };
        await assert.rejects(
          () => failing.write('SELECT 100::BIGINT AS id', { txn }),
          (e: unknown) => isDeltaError(e, 'DELTA_STORAGE') && e.retryable,
        );
        assert.equal((await table.snapshot()).version, 1, 'the commit was written before the failure');
        const retry = await failing.write('SELECT 100::BIGINT AS id', { txn });
        assert.deepEqual([retry.committed, retry.version], [false, 1]);
        assert.deepEqual(await ids(table), [...Array(10).keys(), 100]);
      });

      it('a commit whose success was not acknowledged (the retry finds it existing) is not committed twice', async () => {
        const { table, failing } = await setup('exists-after-write');
        await failing.write('SELECT 100::BIGINT AS id').catch(() => undefined);
        assert.deepEqual(await ids(table), [...Array(10).keys(), 100], 'the appended row is in the table exactly once');
      });
    });
  }
});
