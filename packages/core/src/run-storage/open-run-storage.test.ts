import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { isCoreError } from '../errors.ts';
import { MemoryRunStorage, PostgresRunStorage, SqliteRunStorage, openRunStorage } from './index.ts';
import type { RunStorage } from './index.ts';

const POSTGRES_URL = process.env.STRATA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `strata_test_open_${randomBytes(4).toString('hex')}`;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-open-run-storage-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

/** Opens `url` and checks that the storage works. */
async function opened(url: string): Promise<RunStorage> {
  const storage = await openRunStorage(url);
  await storage.setCursor('opened', url);
  assert.equal(await storage.getCursor('opened'), url);
  return storage;
}

describe('openRunStorage', () => {
  it('opens sqlite: URLs and .db / .sqlite paths as SQLite', async () => {
    const cases: [string, string][] = [
      [`sqlite:${join(dir, 'a.db')}`, join(dir, 'a.db')],
      [`sqlite://${join(dir, 'b.sqlite')}`, join(dir, 'b.sqlite')],
      [join(dir, 'c.db'), join(dir, 'c.db')],
      [join(dir, 'd.sqlite'), join(dir, 'd.sqlite')],
      [join(dir, 'e.sqlite3'), join(dir, 'e.sqlite3')],
      ['sqlite::memory:', ':memory:'],
    ];
    for (const [url, path] of cases) {
      const storage = await opened(url);
      assert.ok(storage instanceof SqliteRunStorage, url);
      assert.equal(storage.path, path);
      await storage.close();
    }
  });

  it('opens postgres:// and postgresql:// URLs, taking the schema from the query', async () => {
    for (const url of [`${POSTGRES_URL}?schema=${schema}`, `${POSTGRES_URL.replace(/^postgres:/, 'postgresql:')}?schema=${schema}`]) {
      const storage = await opened(url);
      assert.ok(storage instanceof PostgresRunStorage, url);
      assert.equal(storage.schema, schema);
      assert.doesNotMatch(storage.location, /schema=/);
      await storage.close();
    }
  });

  it('opens memory: as a new, empty memory storage', async () => {
    const a = await opened('memory:');
    const b = await openRunStorage('memory:');
    const named = await opened('memory:named');
    assert.ok(a instanceof MemoryRunStorage && b instanceof MemoryRunStorage && named instanceof MemoryRunStorage);
    assert.equal(await b.getCursor('opened'), undefined);
    assert.equal(named.name, 'named');
    for (const s of [a, b, named]) await s.close();
  });

  it('rejects anything else with CORE_INVALID_CONFIG naming the value', async () => {
    for (const url of ['mysql://localhost/runs', 'runs.txt', 'runs', '', 'sqlite:', 'sqlite://host/runs.db', 'http://host/runs.db', 'MEMORY', 's3://bucket/runs.db']) {
      const err: unknown = await openRunStorage(url).then(
        () => assert.fail(`${url} opened`),
        (e: unknown) => e,
      );
      assert.ok(isCoreError(err, 'CORE_INVALID_CONFIG'), `${url}: ${String(err)}`);
      assert.ok(err.message.includes(`"${url}"`), err.message);
    }
  });
});
