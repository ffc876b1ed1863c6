import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { isCoreError } from '../../errors.ts';
import { describeRunStorageContract, rejectsWithCode } from '../contract.ts';
import { SqliteRunStorage } from '../index.ts';
import type { RunRecord } from '../index.ts';
import { MIGRATIONS } from './schema.ts';

let dir: string;
let n = 0;
const freshPath = () => join(dir, `runs-${++n}.db`);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-sqlite-run-storage-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describeRunStorageContract('sqlite', async () => new SqliteRunStorage({ path: freshPath() }));

const run = (runId: string): RunRecord => ({ runId, status: 'running', trigger: 'manual', selection: [], steps: ['a.b.c'], createdAt: new Date(), tags: {} });

/** A second, plain connection to the file, closed at the end of the test. */
function raw(t: TestContext, path: string): Database.Database {
  const db = new Database(path);
  t.after(() => db.close());
  return db;
}

describe('SqliteRunStorage', () => {
  it('keeps everything when the file is reopened, and seqs continue', async () => {
    const path = freshPath();
    const first = new SqliteRunStorage({ path });
    await first.createRun(run('r'));
    await first.appendEvents([{ runId: 'r', timestamp: new Date(1), type: 'log', level: 'info', message: 'one' }]);
    await first.addMaterialization({ runId: 'r', assetKey: 'a.b.c', timestamp: new Date(2), metadata: { v: 1 } });
    await first.addCheckResult({ runId: 'r', assetKey: 'a.b.c', checkName: 'c', timestamp: new Date(3), passed: false, severity: 'warn', metadata: {} });
    await first.setCursor('sensor', 'x');
    await first.close();

    const second = new SqliteRunStorage({ path });
    try {
      assert.equal((await second.getRun('r'))?.status, 'running');
      await second.appendEvents([{ runId: 'r', timestamp: new Date(4), type: 'log', level: 'info', message: 'two' }]);
      assert.deepEqual((await second.events('r')).map((e) => [e.seq, e.message]), [[1, 'one'], [2, 'two']]);
      assert.deepEqual((await second.latestMaterialization('a.b.c'))?.metadata, { v: 1 });
      assert.equal((await second.checkResults({ runId: 'r' }))[0]?.passed, false);
      assert.equal(await second.getCursor('sensor'), 'x');
      assert.deepEqual(ids(await second.listRuns({ assetKey: 'a.b.c' })), ['r']);
    } finally {
      await second.close();
    }
  });

  it('migrates once: opening twice leaves one schema_version row per migration', async (t) => {
    const path = freshPath();
    await new SqliteRunStorage({ path }).close();
    const again = new SqliteRunStorage({ path });
    await again.setCursor('c', 'v');
    await again.close();
    const versions = raw(t, path).prepare('SELECT version FROM schema_version ORDER BY version').pluck().all();
    assert.deepEqual(versions, MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses a database with a newer schema than it knows', async (t) => {
    const path = freshPath();
    await new SqliteRunStorage({ path }).close();
    raw(t, path).prepare('INSERT INTO schema_version (version, applied_at) VALUES (999, 0)').run();
    const err = await rejectsWithCode(Promise.resolve().then(() => new SqliteRunStorage({ path })), 'CORE_STORAGE');
    assert.match(err.message, /schema version 999, newer than/);
    assert.ok(err.message.includes(path));
  });

  it('runs in WAL mode, and its queries use the indexes', async (t) => {
    const path = freshPath();
    await new SqliteRunStorage({ path }).close();
    const db = raw(t, path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    assert.match(plan('SELECT * FROM runs ORDER BY created_at DESC, run_id DESC LIMIT 10'), /runs_by_created/);
    assert.match(plan("SELECT * FROM events WHERE run_id = 'r' AND seq > 5 ORDER BY seq LIMIT 10"), /PRIMARY KEY \(run_id=\? AND seq>\?\)/);
    assert.match(
      plan("SELECT * FROM materializations WHERE asset_key = 'a' AND partition_key = 'p' ORDER BY occurred_at DESC, id DESC LIMIT 1"),
      /materializations_by_partition/,
    );
    assert.match(plan("SELECT * FROM materializations WHERE asset_key = 'a' ORDER BY occurred_at DESC, id DESC LIMIT 1"), /materializations_by_asset/);
    assert.match(plan("SELECT run_id FROM run_assets WHERE asset_key = 'a'"), /PRIMARY KEY \(asset_key=\?\)/);
  });

  it('opens :memory: and creates missing directories for a file', async () => {
    const inMemory = new SqliteRunStorage({ path: ':memory:' });
    await inMemory.createRun(run('m'));
    assert.equal((await inMemory.getRun('m'))?.runId, 'm');
    await inMemory.close();
    const nested = new SqliteRunStorage({ path: join(dir, 'deep', 'er', 'runs.db') });
    await nested.setCursor('c', 'v');
    await nested.close();
  });

  it('rejects an empty path or a bad busy timeout with CORE_INVALID_CONFIG', () => {
    const invalidConfig = (e: unknown) => isCoreError(e, 'CORE_INVALID_CONFIG');
    assert.throws(() => new SqliteRunStorage({ path: ' ' }), invalidConfig);
    assert.throws(() => new SqliteRunStorage({ path: freshPath(), busyTimeoutMs: -1 }), invalidConfig);
    assert.throws(() => new SqliteRunStorage({ path: freshPath(), busyTimeoutMs: 0.5 }), invalidConfig);
  });

  it('fails with CORE_STORAGE naming the file when it is not a database', async () => {
    const path = join(dir, 'garbage.db');
    await writeFile(path, 'this is not a SQLite database, just text that is long enough to have a header');
    assert.throws(
      () => new SqliteRunStorage({ path }),
      (e: unknown) => isCoreError(e, 'CORE_STORAGE') && e.message.includes(path) && /SQLITE_NOTADB/.test(e.message),
    );
  });

  it('fails retryably while another connection holds the write lock', async (t) => {
    const path = freshPath();
    const storage = new SqliteRunStorage({ path, busyTimeoutMs: 0 });
    t.after(() => storage.close());
    await storage.createRun(run('r'));
    const other = raw(t, path);
    other.exec('BEGIN EXCLUSIVE');
    const err = await rejectsWithCode(storage.setCursor('c', 'v'), 'CORE_STORAGE');
    assert.equal(err.retryable, true);
    assert.match(err.message, /SQLITE_BUSY/);
    assert.ok(err.message.includes(path));
    assert.equal((await storage.getRun('r'))?.runId, 'r');
    other.exec('COMMIT');
    await storage.setCursor('c', 'v');
    assert.equal(await storage.getCursor('c'), 'v');
  });

  it('gives gap-free seqs to two processes appending to one file', async () => {
    const path = freshPath();
    const storage = new SqliteRunStorage({ path });
    await storage.createRun(run('shared'));
    // Both children start appending once both are ready, and pause between appends so that
    // their transactions interleave.
    const script = [
      `import { existsSync, writeFileSync } from 'node:fs';`,
      `const { SqliteRunStorage } = await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)});`,
      `const [path, who] = process.argv.slice(1);`,
      `const sleep = () => new Promise((r) => setTimeout(r, 1));`,
      `const s = new SqliteRunStorage({ path });`,
      `writeFileSync(\`\${path}.\${who}.ready\`, '');`,
      `while (!existsSync(\`\${path}.p1.ready\`) || !existsSync(\`\${path}.p2.ready\`)) await sleep();`,
      `for (let i = 0; i < 200; i++) {`,
      `  await s.appendEvents([0, 1].map((n) => ({ runId: 'shared', timestamp: new Date(), type: 'log', level: 'info', message: who, data: { i, n } })));`,
      `  await sleep();`,
      `}`,
      `await s.close();`,
    ].join('\n');
    const child = (who: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--no-warnings', '-e', script, path, who]);
    await Promise.all([child('p1'), child('p2')]);
    const events = await storage.events('shared');
    await storage.close();
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 800 }, (_, i) => i + 1));
    for (let i = 0; i < events.length; i += 2) {
      assert.equal(events[i]?.message, events[i + 1]?.message);
      assert.deepEqual([events[i]?.data?.n, events[i + 1]?.data?.n], [0, 1]);
    }
    const switches = events.filter((e, i) => i > 0 && e.message !== events[i - 1]?.message).length;
    assert.ok(switches >= 10, `the two processes' appends interleaved only ${switches} times`);
  });
});

const ids = (runs: readonly RunRecord[]) => runs.map((r) => r.runId);
