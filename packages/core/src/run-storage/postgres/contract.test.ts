import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { Client } from 'pg';
import { describeRunStorageContract, rejectsWithCode } from '../contract.ts';
import { PostgresRunStorage } from '../index.ts';
import type { RunEvent } from '../index.ts';
import { schemaName } from './config.ts';
import { MIGRATIONS } from './schema.ts';

// The real server; the suite fails (it does not skip) when it cannot be reached.
const URL = process.env.STRATA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Every schema of this file starts with one random prefix, and all are dropped at the end.
const prefix = `strata_test_${randomBytes(4).toString('hex')}`;
let n = 0;
const freshSchema = () => `${prefix}_${++n}`;

async function sql<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

after(() =>
  sql(async (c) => {
    const { rows } = await c.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix]);
    for (const { nspname } of rows) await c.query(`DROP SCHEMA "${nspname}" CASCADE`);
  }),
);

describeRunStorageContract('postgres', () => PostgresRunStorage.open({ connectionString: URL, schema: freshSchema() }));

describe('PostgresRunStorage', () => {
  const open = async (t: TestContext, schema: string, maxConnections?: number) => {
    const storage = await PostgresRunStorage.open({ connectionString: URL, schema, ...(maxConnections !== undefined && { maxConnections }) });
    t.after(() => storage.close());
    return storage;
  };
  const event = (runId: string, data: Record<string, unknown>): RunEvent => ({ runId, timestamp: new Date(), type: 'log', level: 'info', message: 'x', data });

  it('gives gap-free seqs to concurrent appenders on two pools', async (t) => {
    const schema = freshSchema();
    const [a, b] = [await open(t, schema, 5), await open(t, schema, 5)];
    await a.createRun({ runId: 'shared', status: 'running', trigger: 'manual', selection: [], steps: [], createdAt: new Date(), tags: {} });
    await Promise.all(
      Array.from({ length: 40 }, (_, call) => (call % 2 ? a : b).appendEvents([event('shared', { call, n: 0 }), event('shared', { call, n: 1 })])),
    );
    const events = await b.events('shared');
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 80 }, (_, i) => i + 1));
    for (let i = 0; i < events.length; i += 2) {
      assert.deepEqual([events[i]?.data?.n, events[i + 1]?.data?.n], [0, 1]);
      assert.equal(events[i]?.data?.call, events[i + 1]?.data?.call);
    }
    assert.equal(new Set(events.map((e) => e.data?.call)).size, 40);
  });

  it('keeps its tables in its schema, so projects can share a database', async (t) => {
    const [one, two] = [freshSchema(), freshSchema()];
    const first = await open(t, one);
    const second = await open(t, two);
    await first.setCursor('sensor', 'first');
    await second.setCursor('sensor', 'second');
    assert.equal(await first.getCursor('sensor'), 'first');
    assert.equal(await second.getCursor('sensor'), 'second');
    const tables = await sql(async (c) =>
      (await c.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [one])).rows.map(
        (r) => r.table_name,
      ),
    );
    assert.deepEqual(tables, ['check_results', 'cursors', 'events', 'materializations', 'run_assets', 'runs', 'schema_version']);
    assert.equal(first.schema, one);
  });

  it('migrates once: concurrent and repeated opens keep the data and one row per version', async (t) => {
    const schema = freshSchema();
    const opened = await Promise.all([open(t, schema), open(t, schema), open(t, schema)]);
    await opened[0]?.setCursor('kept', 'yes');
    const again = await open(t, schema);
    assert.equal(await again.getCursor('kept'), 'yes');
    const versions = await sql(async (c) => (await c.query<{ version: number }>(`SELECT version FROM "${schema}".schema_version ORDER BY 1`)).rows);
    assert.deepEqual(versions.map((r) => r.version), MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses a schema newer than it knows', async (t) => {
    const schema = freshSchema();
    await (await open(t, schema)).close();
    await sql((c) => c.query(`INSERT INTO "${schema}".schema_version (version) VALUES (999)`));
    const err = await rejectsWithCode(PostgresRunStorage.open({ connectionString: URL, schema }), 'CORE_STORAGE');
    assert.match(err.message, /schema version 999, newer than/);
    assert.equal(err.retryable, false);
  });

  it('reports an unreachable server as retryable CORE_STORAGE, without the password', async () => {
    const port = await closedPort();
    const err = await rejectsWithCode(
      PostgresRunStorage.open({ connectionString: `postgres://strata:s3cret@127.0.0.1:${port}/test`, schema: freshSchema() }),
      'CORE_STORAGE',
    );
    assert.equal(err.retryable, true);
    assert.match(err.message, new RegExp(`postgres://strata:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test`));
    assert.match(err.message, /ECONNREFUSED/);
    assert.doesNotMatch(err.message, /s3cret/);
  });

  it('reports a missing database as CORE_STORAGE that is not retryable', async () => {
    const missing = URL.replace(/\/[^/?]*(\?.*)?$/, `/${prefix}_no_such_db`);
    const err = await rejectsWithCode(PostgresRunStorage.open({ connectionString: missing, schema: freshSchema() }), 'CORE_STORAGE');
    assert.equal(err.retryable, false);
    assert.match(err.message, /does not exist/);
  });

  it('rejects invalid schema names with CORE_INVALID_CONFIG', async () => {
    for (const schema of ['Upper', 'has-dash', 'a"b', '1st', '', 'x'.repeat(64), 'pg_catalog']) {
      const err = await rejectsWithCode(PostgresRunStorage.open({ connectionString: URL, schema }), 'CORE_INVALID_CONFIG');
      assert.ok(err.message.includes(`"${schema}"`), err.message);
    }
  });

  it('rejects a pool size below 1 with CORE_INVALID_CONFIG', async () => {
    for (const maxConnections of [0, -1, 2.5]) {
      const err = await rejectsWithCode(PostgresRunStorage.open({ connectionString: URL, schema: freshSchema(), maxConnections }), 'CORE_INVALID_CONFIG');
      assert.match(err.message, /maxConnections/);
    }
  });

  it('uses the schema strata unless told otherwise', () => {
    assert.equal(schemaName({ connectionString: URL }), 'strata');
    assert.equal(schemaName({ connectionString: URL, schema: 'project_a' }), 'project_a');
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
