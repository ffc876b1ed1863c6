import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import type { ExportInput, ExportOptions } from '../destination.ts';
import { isConnectorError } from '../errors.ts';
import { range, readAll, stagedRelations, testContext, typed } from './test-support.ts';
import type { TestDatabase, TestScope } from './test-support.ts';

/** `n` orders as a DuckDB relation: id, name, amount DECIMAL(12,2), at TIMESTAMPTZ. */
const ordersSql = (n: number, from = 1, name = 'name') =>
  `SELECT range::INTEGER AS id, '${name} ' || range AS name, (range * 1.25)::DECIMAL(12,2) AS amount, TIMESTAMPTZ '2024-01-01 00:00:00+00' + range * INTERVAL 1 SECOND AS at FROM range(${from}, ${from + n})`;

/** The behaviour every database destination shares, run against a real server of `db`'s dialect. */
export function describeDestinationContract(db: TestDatabase): void {
  describe(`${db.dialect} destination`, () => {
    let engine: Engine;
    before(async () => {
      engine = await DuckDbEngine.create({ threads: 2 });
    });
    after(() => engine.close());
    const input = (sql: string, signal = new AbortController().signal): ExportInput => ({ engine, sql, signal, log: () => undefined });
    const exportTo = (scope: TestScope, sql: string, options: Omit<ExportOptions, 'table'> & { table?: string }, signal?: AbortSignal) =>
      db.destination({ connection: scope.connection }).export(input(sql, signal), { table: `${scope.name}.orders`, ...options });
    const count = async (scope: TestScope, table = 'orders') => Number((await scope.sql(`SELECT count(*) AS n FROM ${scope.name}.${table}`))[0]?.n);
    /** The rows of the target read back through the dialect's own source. */
    const readBack = async (scope: TestScope, table = 'orders') => {
      const source = db.source({ connection: scope.connection, streams: [{ name: 'rows', table: `${scope.name}.${table}`, primary_key: ['id'], chunk_size: 100_000 }] });
      return typed((await readAll(source, 'rows', undefined, testContext(engine)))[0]).rows;
    };

    it('creates the table on replace, with matching row counts and values', async (t) => {
      const scope = await db.scope(t);
      const result = await exportTo(scope, ordersSql(3000), { mode: 'replace', batchRows: 700 });
      assert.deepEqual({ ...result, bytesSent: result.bytesSent > 0 }, { rowsWritten: 3000, bytesSent: true, created: true, migrated: [] });
      assert.equal(await count(scope), 3000);
      const rows = await readBack(scope);
      assert.deepEqual(rows.map((r) => r.id), range(1, 3000));
      assert.deepEqual([rows[0]?.name, rows[0]?.amount, rows[2999]?.amount], ['name 1', '1.25', '3750.00']);
      assert.deepEqual(await scope.tables(), ['orders']);
      assert.equal(await stagedRelations(engine), 0);
    });

    it('swaps the table atomically: a concurrent reader sees the old rows or the new ones', async (t) => {
      const scope = await db.scope(t);
      await exportTo(scope, ordersSql(500), { mode: 'replace' });
      const seen = new Set<number>();
      let done = false;
      const reader = (async () => {
        while (!done) {
          seen.add(await count(scope));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      // About 130 kB at 100 kB/s: the load lasts long enough to be read during it.
      const result = await exportTo(scope, ordersSql(3000, 1, 'new'), { mode: 'replace', batchRows: 100, maxBytesPerSecond: 100_000 }).finally(() => {
        done = true;
      });
      await reader;
      seen.add(await count(scope));
      assert.equal(result.rowsWritten, 3000);
      assert.equal(result.created, false);
      assert.deepEqual([...seen].sort((a, b) => a - b), [500, 3000]);
      assert.deepEqual(await scope.tables(), ['orders']);
      assert.ok((await readBack(scope)).every((r) => String(r.name).startsWith('new ')));
    });

    it('leaves the old table intact and no staging table when a replace fails', async (t) => {
      const scope = await db.scope(t);
      await scope.sql(`CREATE TABLE ${scope.name}.orders (id INTEGER, name VARCHAR(8))`);
      await scope.sql(`INSERT INTO ${scope.name}.orders VALUES (1, 'old')`);
      // Row 2500 does not fit the table's VARCHAR(8): the load fails after 2000 rows were sent.
      const sql = `SELECT range::INTEGER AS id, CASE WHEN range = 2500 THEN 'far too long' ELSE 'ok' END AS name FROM range(1, 3001)`;
      await assert.rejects(exportTo(scope, sql, { mode: 'replace', batchRows: 500 }), (e) => isConnectorError(e, 'CONNECTOR_DATABASE') && e.message.includes(`table ${scope.name}.orders`));
      assert.deepEqual(await scope.sql(`SELECT id, name FROM ${scope.name}.orders`), [{ id: 1, name: 'old' }]);
      assert.deepEqual(await scope.tables(), ['orders']);
      assert.equal(await stagedRelations(engine), 0);
    });

    it('leaves the old table intact when a replace is canceled', async (t) => {
      const scope = await db.scope(t);
      await exportTo(scope, ordersSql(500), { mode: 'replace' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      await assert.rejects(exportTo(scope, ordersSql(3000), { mode: 'replace', batchRows: 100, maxBytesPerSecond: 20_000 }, controller.signal), (e) => isConnectorError(e, 'CONNECTOR_CANCELED'));
      assert.equal(await count(scope), 500);
      assert.deepEqual(await scope.tables(), ['orders']);
    });

    it('upserts by key: changed rows are updated, new rows inserted', async (t) => {
      const scope = await db.scope(t);
      const created = await exportTo(scope, ordersSql(10), { mode: 'upsert', keys: ['id'] });
      assert.deepEqual(created, { ...created, rowsWritten: 10, created: true, migrated: [] });
      const result = await exportTo(scope, ordersSql(8, 8, 'changed'), { mode: 'upsert', keys: ['id'], batchRows: 3 });
      assert.deepEqual({ ...result, bytesSent: 0 }, { rowsWritten: 8, bytesSent: 0, created: false, migrated: [] });
      const rows = await readBack(scope);
      assert.deepEqual(
        rows.map((r) => [r.id, r.name]),
        range(1, 15).map((n) => [n, n < 8 ? `name ${n}` : `changed ${n}`]),
      );
      // Keys alone: matching rows stay, new ones are added.
      const keysOnly = await exportTo(scope, 'SELECT range::INTEGER AS id FROM range(14, 18)', { mode: 'upsert', keys: ['id'] });
      assert.equal(keysOnly.rowsWritten, 4);
      assert.deepEqual((await readBack(scope)).map((r) => r.id), range(1, 17));
    });

    it('refuses an upsert it cannot do safely', async (t) => {
      const scope = await db.scope(t);
      await scope.sql(`CREATE TABLE ${scope.name}.orders (id INTEGER, name VARCHAR(20))`);
      const refuses = (sql: string, options: Omit<ExportOptions, 'table'>, code: 'CONNECTOR_EXPORT' | 'CONNECTOR_INVALID_CONFIG', pattern: RegExp) =>
        assert.rejects(exportTo(scope, sql, options), (e) => isConnectorError(e, code) && pattern.test(e.message));
      await refuses(ordersSql(3), { mode: 'upsert', keys: ['id'] }, 'CONNECTOR_EXPORT', /needs a unique index on exactly \(id\)/);
      await refuses(ordersSql(3), { mode: 'upsert' }, 'CONNECTOR_INVALID_CONFIG', /upsert needs keys/);
      await refuses(ordersSql(3), { mode: 'upsert', keys: ['code'] }, 'CONNECTOR_EXPORT', /key column code is not a column of the relation/);
      await refuses(`SELECT 1 AS id UNION ALL SELECT 1`, { mode: 'upsert', keys: ['id'] }, 'CONNECTOR_EXPORT', /not unique in the relation: 2 rows have id=1/);
      await refuses(`SELECT NULL::INTEGER AS id`, { mode: 'upsert', keys: ['id'] }, 'CONNECTOR_EXPORT', /1 rows of the relation have a NULL key/);
      assert.equal(await count(scope), 0);
      assert.equal(await stagedRelations(engine), 0);
    });

    it('adds the relation’s new columns and refuses changed types', async (t) => {
      const scope = await db.scope(t);
      await exportTo(scope, 'SELECT range::INTEGER AS id, range * 2 AS amount FROM range(1, 4)', { mode: 'upsert', keys: ['id'] });
      const added = await exportTo(scope, `SELECT range::INTEGER AS id, range * 2 AS amount, 'note ' || range AS note FROM range(3, 5)`, { mode: 'upsert', keys: ['id'] });
      assert.deepEqual(added.migrated, ['note']);
      assert.deepEqual(
        (await readBack(scope)).map((r) => [r.id, r.note]),
        [[1, null], [2, null], [3, 'note 3'], [4, 'note 4']],
      );
      const replaced = await exportTo(scope, `SELECT range::INTEGER AS id, range * 2 AS amount, DATE '2024-05-01' AS day FROM range(1, 3)`, { mode: 'replace' });
      assert.deepEqual([replaced.migrated, replaced.created], [['day'], false]);
      assert.deepEqual(
        (await readBack(scope)).map((r) => [r.id, r.note, r.day]),
        [[1, null, '2024-05-01'], [2, null, '2024-05-01']],
      );
      for (const mode of ['upsert', 'replace'] as const) {
        await assert.rejects(exportTo(scope, `SELECT range::INTEGER AS id, 'x' || range AS amount FROM range(1, 3)`, { mode, keys: ['id'] }), (e) => {
          assert.ok(isConnectorError(e, 'CONNECTOR_EXPORT'), String(e));
          assert.match(e.message, /column amount is .* in the table but VARCHAR/);
          return true;
        });
      }
      assert.equal(await count(scope), 2);
      assert.deepEqual(await scope.tables(), ['orders']);
    });

    it('refuses a column type it cannot map, naming the column', async (t) => {
      const scope = await db.scope(t);
      await assert.rejects(exportTo(scope, `SELECT 1 AS id, ${db.unmappable.sql} AS odd`, { mode: 'replace' }), (e) => {
        assert.ok(isConnectorError(e, 'CONNECTOR_EXPORT'), String(e));
        assert.ok(e.message.includes(`column odd (${db.unmappable.type})`), e.message);
        return true;
      });
      await assert.rejects(exportTo(scope, 'SELECT * FROM no_such_relation', { mode: 'replace' }), (e) => isConnectorError(e, 'CONNECTOR_EXPORT') && /relation cannot be read/.test(e.message));
      assert.deepEqual(await scope.tables(), []);
      assert.equal(await stagedRelations(engine), 0);
    });

    it('keeps the byte rate under the limit', async (t) => {
      const scope = await db.scope(t);
      const start = performance.now();
      // 2000 rows of about 104 bytes: about 208 kB at 100 kB/s.
      const result = await exportTo(scope, `SELECT range AS id, repeat('x', 100) AS pad FROM range(1, 2001)`, { mode: 'replace', batchRows: 100, maxBytesPerSecond: 100_000 });
      const elapsed = performance.now() - start;
      assert.ok(result.bytesSent >= 200_000, `sent ${result.bytesSent} bytes`);
      // The last batch leaves without waiting for its own bytes: (208 - 10.4) kB at 100 kB/s ≈ 1.98 s.
      assert.ok(elapsed >= 1500, `took ${Math.round(elapsed)} ms`);
      assert.equal(await count(scope), 2000);
    });
  });
}
