import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import { isConnectorError } from '../errors.ts';
import type { JsonValue, SourceBatch } from '../source.ts';
import { closedPort, idsOf, range, readAll, testContext, typed } from './test-support.ts';
import type { TestDatabase, TestScope } from './test-support.ts';

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** The behaviour every database source shares, run against a real server of `db`'s dialect. */
export function describeSourceContract(db: TestDatabase): void {
  describe(`${db.dialect} source`, () => {
    let engine: Engine;
    before(async () => {
      engine = await DuckDbEngine.create({ threads: 1 });
    });
    after(() => engine.close());
    const ctx = (logs?: string[], signal?: AbortSignal) => testContext(engine, logs, signal);

    /** A scope with `orders` 1..n, whose updated_at takes 7 distinct values (n % 7 seconds): many ties. */
    async function orders(t: TestContext, n: number): Promise<TestScope> {
      const scope = await db.scope(t);
      await scope.sql(`CREATE TABLE ${scope.name}.orders (id INTEGER PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(12,2), updated_at ${db.timestamp.ddl})`);
      if (n > 0) await scope.sql(`INSERT INTO ${scope.name}.orders SELECT n, CONCAT('customer ', n % 100), n * 1.25, ${db.secondsAfter('n % 7')} FROM (${db.series(n)}) s`);
      return scope;
    }
    const source = (scope: TestScope, stream: Record<string, unknown>) => db.source({ connection: scope.connection, streams: [{ name: 'orders', ...stream }] });

    it('reads a full load in chunks by primary key, resumable after any chunk', async (t) => {
      const scope = await orders(t, 25_000);
      const src = source(scope, { table: `${scope.name}.orders`, primary_key: ['id'], chunk_size: 1000 });
      const batches = await readAll(src, 'orders', undefined, ctx());
      assert.equal(batches.length, 25);
      assert.ok(batches.every((b) => typed(b).rows.length === 1000));
      assert.deepEqual(idsOf(batches), range(1, 25_000));
      assert.deepEqual(typed(batches[0]).columns, [
        { name: 'id', type: 'INTEGER' },
        { name: 'customer', type: 'VARCHAR' },
        { name: 'amount', type: 'DECIMAL(12,2)' },
        { name: 'updated_at', type: db.timestamp.duckdb },
      ]);
      assert.deepEqual(typed(batches[0]).rows[1], { id: 2, customer: 'customer 2', amount: '2.50', updated_at: typed(batches[0]).rows[1]?.updated_at });
      assert.deepEqual(batches[0]?.state, { run: 'in_progress', rows: 1000, pk: ['1000'] });
      assert.deepEqual(batches[24]?.state, { run: 'complete', rows: 25_000 });

      // A crash after the 10th commit: the next run resumes after it.
      const resumed = await readAll(src, 'orders', batches[9]?.state, ctx());
      assert.equal(resumed.length, 15);
      assert.deepEqual(idsOf(resumed), range(10_001, 25_000));
      assert.deepEqual(resumed.at(-1)?.state, { run: 'complete', rows: 25_000 });
      // A complete run: the next one starts over.
      assert.deepEqual(idsOf(await readAll(src, 'orders', batches[24]?.state, ctx())), range(1, 25_000));
    });

    it('reads a table with neither cursor nor key through a server-side cursor', async (t) => {
      const scope = await orders(t, 2500);
      const src = source(scope, { table: `${scope.name}.orders`, chunk_size: 1000 });
      const batches = await readAll(src, 'orders', undefined, ctx());
      assert.deepEqual(batches.map((b) => typed(b).rows.length), [1000, 1000, 500]);
      assert.deepEqual(sorted(idsOf(batches)), range(1, 2500));
      assert.deepEqual(batches.map((b) => b.state), [
        { run: 'in_progress', rows: 1000 },
        { run: 'in_progress', rows: 2000 },
        { run: 'complete', rows: 2500 },
      ]);
      // Without a key an interrupted run cannot resume: it starts over, and says so.
      const logs: string[] = [];
      assert.equal(idsOf(await readAll(src, 'orders', batches[0]?.state, ctx(logs))).length, 2500);
      assert.ok(logs.some((l) => l.startsWith('warn:') && l.includes('cannot resume without a primary key')), logs.join('\n'));
      // A loader that stops after one batch closes the cursor and the connection.
      for await (const batch of src.read('orders', undefined, ctx())) {
        assert.equal(typed(batch).rows.length, 1000);
        break;
      }
    });

    it('reads an empty table as one empty batch that completes the run', async (t) => {
      const scope = await orders(t, 0);
      for (const stream of [{ primary_key: ['id'] }, {}]) {
        const batches = await readAll(source(scope, { table: `${scope.name}.orders`, ...stream }), 'orders', undefined, ctx());
        assert.deepEqual(batches.map((b) => [typed(b).rows.length, b.state]), [[0, { run: 'complete', rows: 0 }]]);
      }
    });

    it('reads incrementally by updated_at and key, exactly once across ties, then only changed rows', async (t) => {
      const scope = await orders(t, 100);
      const src = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'updated_at' }, primary_key: ['id'], chunk_size: 10 });
      const first = await readAll(src, 'orders', undefined, ctx());
      assert.equal(first.length, 10);
      assert.ok(first.every((b) => typed(b).rows.length === 10));
      // Order by (updated_at, id): n % 7, then n.
      assert.deepEqual(idsOf(first), range(1, 100).sort((a, b) => a % 7 - b % 7 || a - b));
      const last = first.at(-1)?.state as { cursor: string; pk: JsonValue[] };
      assert.equal(last.cursor, 'updated_at');
      assert.deepEqual(last.pk, ['97']);

      await scope.sql(`UPDATE ${scope.name}.orders SET amount = 0, updated_at = ${db.secondsAfter('100')} WHERE id IN (3, 50)`);
      // Same updated_at as the watermark, but after the last key read: still new.
      await scope.sql(`INSERT INTO ${scope.name}.orders VALUES (101, 'late', 1, ${db.secondsAfter('6')})`);
      const second = await readAll(src, 'orders', first.at(-1)?.state, ctx());
      assert.deepEqual(idsOf(second), [101, 3, 50]);
      assert.deepEqual(typed(second[0]).rows.map((r) => r.amount), ['1.00', '0.00', '0.00']);
      assert.deepEqual(await readAll(src, 'orders', second.at(-1)?.state, ctx()), []);
    });

    it('resumes an incremental read after the last committed chunk', async (t) => {
      const scope = await orders(t, 100);
      const src = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'updated_at' }, primary_key: ['id'], chunk_size: 10 });
      const committed: SourceBatch[] = [];
      for await (const batch of src.read('orders', undefined, ctx())) {
        committed.push(batch);
        if (committed.length === 3) break; // the process dies after three commits
      }
      const rest = await readAll(src, 'orders', committed.at(-1)?.state, ctx());
      assert.equal(rest.length, 7);
      assert.deepEqual(sorted([...idsOf(committed), ...idsOf(rest)]), range(1, 100));
    });

    it('reads incrementally by a cursor without key, keeping tied rows in one batch', async (t) => {
      const scope = await orders(t, 100);
      const src = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'updated_at' }, chunk_size: 10 });
      const batches = await readAll(src, 'orders', undefined, ctx());
      // Each updated_at value has 14 or 15 rows, more than a chunk: a batch holds all of them.
      assert.deepEqual(batches.map((b) => sorted(idsOf([b]))), range(0, 6).map((r) => range(1, 100).filter((n) => n % 7 === r)));
      await scope.sql(`INSERT INTO ${scope.name}.orders VALUES (101, 'new', 1, ${db.secondsAfter('7')})`);
      assert.deepEqual(idsOf(await readAll(src, 'orders', batches.at(-1)?.state, ctx())), [101]);

      // Small ties: chunks end after their last value's rows.
      const ids = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'id' }, chunk_size: 30 });
      const byId = await readAll(ids, 'orders', undefined, ctx());
      assert.deepEqual(byId.map((b) => typed(b).rows.length), [30, 30, 30, 11]);
      assert.deepEqual(idsOf(byId), range(1, 101));
    });

    it('reads incrementally by an increasing id from a start value', async (t) => {
      const scope = await orders(t, 50);
      const src = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'id', start: 11 }, primary_key: ['id'], chunk_size: 7 });
      const first = await readAll(src, 'orders', undefined, ctx());
      assert.deepEqual(idsOf(first), range(11, 50));
      assert.deepEqual(first.map((b) => typed(b).rows.length), [7, 7, 7, 7, 7, 5]);
      assert.deepEqual(first.at(-1)?.state, { cursor: 'id', watermark: '50', pk: ['50'] });
      await scope.sql(`INSERT INTO ${scope.name}.orders SELECT n + 50, 'more', 1, ${db.secondsAfter('0')} FROM (${db.series(10)}) s`);
      assert.deepEqual(idsOf(await readAll(src, 'orders', first.at(-1)?.state, ctx())), range(51, 60));
    });

    it('reads query streams, incrementally and in full', async (t) => {
      const scope = await orders(t, 60);
      await scope.sql(`CREATE TABLE ${scope.name}.customers (name VARCHAR(40) PRIMARY KEY, region VARCHAR(10))`);
      await scope.sql(`INSERT INTO ${scope.name}.customers SELECT CONCAT('customer ', n - 1), CASE WHEN n % 2 = 0 THEN 'north' ELSE 'south' END FROM (${db.series(100)}) s`);
      const query = `SELECT o.id, o.amount, c.region, o.updated_at FROM ${scope.name}.orders o JOIN ${scope.name}.customers c ON c.name = o.customer WHERE c.region = 'north';`;
      const north = range(1, 60).filter((n) => (n % 100) % 2 === 1);
      const incremental = db.source({ connection: scope.connection, streams: [{ name: 'north', query, cursor: { column: 'updated_at' }, primary_key: ['id'], chunk_size: 4 }] });
      const batches = await readAll(incremental, 'north', undefined, ctx());
      assert.deepEqual(sorted(idsOf(batches)), north);
      assert.ok(batches.every((b) => typed(b).rows.length <= 4 && typed(b).rows.every((r) => r.region === 'north')));
      assert.deepEqual(typed(batches[0]).columns.map((c) => c.name), ['id', 'amount', 'region', 'updated_at']);
      const full = db.source({ connection: scope.connection, streams: [{ name: 'north', query, chunk_size: 8 }] });
      assert.deepEqual(sorted(idsOf(await readAll(full, 'north', undefined, ctx()))), north);
    });

    it('fails with CONNECTOR_DATABASE naming the server, database and stream', async (t) => {
      const scope = await db.scope(t);
      const missing = source(scope, { table: `${scope.name}.nowhere` });
      await assert.rejects(readAll(missing, 'orders', undefined, ctx()), (e) => {
        assert.ok(isConnectorError(e, 'CONNECTOR_DATABASE'), String(e));
        assert.equal(e.retryable, false);
        assert.match(e.message, /:\/\/\w+@127\.0\.0\.1:\d+\/\w*, stream "orders": .*nowhere/);
        return true;
      });

      const port = await closedPort();
      const unreachable = db.source({ connection: db.unreachable(port, 's3cret'), streams: [{ name: 'orders', table: 'orders' }] });
      await assert.rejects(readAll(unreachable, 'orders', undefined, ctx()), (e) => {
        assert.ok(isConnectorError(e, 'CONNECTOR_DATABASE'), String(e));
        assert.equal(e.retryable, true);
        assert.ok(e.message.includes(`127.0.0.1:${port}`) && e.message.includes('stream "orders"'), e.message);
        assert.ok(!e.message.includes('s3cret'), e.message);
        return true;
      });

      const stranger = db.source({ connection: db.connectionAs('strata_nobody'), streams: [{ name: 'orders', table: 'orders' }] });
      await assert.rejects(readAll(stranger, 'orders', undefined, ctx()), (e) => isConnectorError(e, 'CONNECTOR_AUTH') && e.message.includes('strata_nobody@'));
    });

    it('refuses a configuration or state that does not fit the table', async (t) => {
      const scope = await orders(t, 5);
      const wrongCursor = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'changed_at' } });
      await assert.rejects(readAll(wrongCursor, 'orders', undefined, ctx()), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && /cursor column changed_at is not a column/.test(e.message));
      const src = source(scope, { table: `${scope.name}.orders`, cursor: { column: 'updated_at' } });
      await assert.rejects(readAll(src, 'orders', { cursor: 'id', watermark: '3' }, ctx()), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && /belongs to cursor column id/.test(e.message));
      await assert.rejects(readAll(src, 'customers', undefined, ctx()), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && /no stream customers/.test(e.message));
      assert.throws(() => db.source({ connection: scope.connection, streams: [{ name: 'x', table: 't', query: 'select 1' }] }), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG'));
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(readAll(src, 'orders', undefined, ctx([], controller.signal)), (e) => isConnectorError(e, 'CONNECTOR_CANCELED'));
    });
  });
}
