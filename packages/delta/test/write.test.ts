import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DuckDbEngine as Engine } from '@strata/delta';
import { DeltaTable, DuckDbEngine, isDeltaError } from '@strata/delta';
import { STORE_KINDS } from './stores.ts';

const rows = (from: number, to: number, extra = '') =>
  `SELECT range AS id, 'p' || (range % 3) AS part, range * 1.5 AS amount${extra} FROM range(${from}, ${to})`;

for (const kind of STORE_KINDS) {
  describe(`writes on ${kind.name}`, () => {
    let engine: Engine;
    let n = 0;
    const table = async () => DeltaTable.open(await kind.make(`t${n++}`), { engine });
    before(async () => {
      engine = await DuckDbEngine.create();
    });
    after(async () => {
      await engine.close();
    });

    it('creates, appends and time-travels by version', async () => {
      const t = await DeltaTable.open((await kind.make(`t${n++}`)).child('several/levels/below'), { engine });
      assert.equal(await t.exists(), false);
      const v0 = await t.write(rows(0, 10), { partitionBy: ['part'] });
      assert.equal(v0.version, 0);
      assert.equal(v0.rowsWritten, 10);
      const v1 = await t.write(rows(10, 15));
      assert.equal(v1.version, 1);
      assert.equal((await t.read()).length, 15);
      assert.equal((await t.read({ version: 0 })).length, 10);
      const d = await t.describe();
      assert.deepEqual(d.partitionColumns, ['part']);
      assert.equal(d.numRecords, 15);
      const parts = await t.read({ where: "part = 'p1'", orderBy: 'id' });
      assert.deepEqual(
        parts.map((r) => r.id),
        [1, 4, 7, 10, 13],
      );
    });

    it('overwrites the whole table or only rows matching replaceWhere', async () => {
      const t = await table();
      await t.write(rows(0, 9), { partitionBy: ['part'] });
      await t.write(`SELECT 100 AS id, 'p0' AS part, 1.0 AS amount`, { mode: 'overwrite', replaceWhere: "part = 'p0'" });
      const got = await t.read({ orderBy: 'id' });
      assert.deepEqual(
        got.map((r) => r.id),
        [1, 2, 4, 5, 7, 8, 100],
      );
      await assert.rejects(
        () => t.write(`SELECT 101 AS id, 'p1' AS part, 1.0 AS amount`, { mode: 'overwrite', replaceWhere: "part = 'p0'" }),
        (e: unknown) => isDeltaError(e, 'DELTA_INVALID_ARGUMENT') && /do not match replaceWhere/.test(e.message),
      );
      await t.write(rows(0, 2), { mode: 'overwrite' });
      assert.equal((await t.read()).length, 2);
      // replaceWhere on a data column rewrites files that hold both kinds of rows.
      await t.write(rows(0, 20), { mode: 'overwrite' });
      await t.write(`SELECT 5 AS id, 'x' AS part, 0.0 AS amount`, { mode: 'overwrite', replaceWhere: 'id >= 5 AND id < 10' });
      const after = await t.read({ orderBy: 'id' });
      assert.equal(after.length, 16);
      assert.deepEqual(after.filter((r) => (r.id as number) >= 5 && (r.id as number) < 10), [{ id: 5, part: 'x', amount: 0 }]);
    });

    it('deletes and updates rows by predicate', async () => {
      const t = await table();
      await t.write(rows(0, 30), { partitionBy: ['part'] });
      const del = await t.delete('id >= 20');
      assert.equal(del.rowsAffected, 10);
      const delPart = await t.delete("part = 'p2'");
      assert.equal(delPart.filesAdded, 0, 'a partition-only predicate removes files without rewriting');
      const upd = await t.update({ amount: 'amount * 2' }, 'id < 3');
      assert.equal(upd.rowsAffected, 2);
      const got = await t.read({ orderBy: 'id' });
      assert.equal(got.length, 20 - 6);
      assert.deepEqual(got.slice(0, 2), [
        { id: 0, part: 'p0', amount: 0 },
        { id: 1, part: 'p1', amount: 3 },
      ]);
      const none = await t.delete('id > 1000');
      assert.equal(none.committed, false);
      await assert.rejects(() => t.delete('nope = 1'), (e: unknown) => isDeltaError(e, 'DELTA_INVALID_ARGUMENT') && /nope/.test(e.message));
      await assert.rejects(() => t.delete('id >'), (e: unknown) => isDeltaError(e, 'DELTA_INVALID_ARGUMENT'));
    });

    it('merges by key with a delete condition and refuses duplicate keys', async () => {
      const t = await table();
      await t.write(rows(0, 10));
      const r = await t.merge(
        `SELECT * FROM (VALUES (1, 'p1', 99.0, 'U'), (2, 'p2', 0.0, 'D'), (50, 'p2', 7.0, 'I'), (51, 'p0', 1.0, 'D')) AS s(id, part, amount, op)`,
        { keys: ['id'], deleteWhen: "op = 'D'" },
      );
      assert.deepEqual([r.rowsInserted, r.rowsUpdated, r.rowsDeleted], [1, 1, 1]);
      const got = await t.read({ orderBy: 'id' });
      assert.deepEqual(
        got.map((x) => x.id),
        [0, 1, 3, 4, 5, 6, 7, 8, 9, 50],
      );
      assert.equal(got.find((x) => x.id === 1)?.amount, 99);
      assert.equal(Object.keys(got[0] ?? {}).includes('op'), false, 'the delete-only column is not written');
      await assert.rejects(
        () => t.merge(`SELECT * FROM (VALUES (1, 'a', 1.0), (1, 'b', 2.0)) AS s(id, part, amount)`, { keys: ['id'] }),
        (e: unknown) => isDeltaError(e, 'DELTA_INVALID_ARGUMENT') && /several rows/.test(e.message),
      );
    });

    it('evolves the schema only when asked and never changes a type silently', async () => {
      const t = await table();
      await t.write(rows(0, 3));
      await assert.rejects(() => t.write(rows(3, 4, ", 'x' AS note")), (e: unknown) => isDeltaError(e, 'DELTA_SCHEMA_MISMATCH') && /note/.test(e.message));
      await t.write(rows(3, 4, ", 'x' AS note"), { evolveSchema: true });
      const got = await t.read({ orderBy: 'id' });
      assert.deepEqual(
        got.map((x) => x.note),
        [null, null, null, 'x'],
      );
      await assert.rejects(
        () => t.write(`SELECT 'abc' AS id, 'p' AS part, 1.0 AS amount`),
        (e: unknown) => isDeltaError(e, 'DELTA_SCHEMA_MISMATCH') && /"id" is long/.test(e.message),
      );
      // A narrower integer fits a wider column without changing the table.
      await t.write(`SELECT 7::INTEGER AS id, 'p' AS part, 1.0 AS amount`);
      assert.equal((await t.snapshot()).schema.fields.find((f) => f.name === 'id')?.type, 'long');
    });

    it('enforces CHECK constraints, NOT NULL and append-only tables', async () => {
      const t = await table();
      await t.write(rows(0, 3), { configuration: { 'delta.constraints.positive': 'amount >= 0' } });
      await assert.rejects(
        () => t.write(`SELECT 9 AS id, 'p' AS part, -1.0 AS amount`),
        (e: unknown) => isDeltaError(e, 'DELTA_INVARIANT_VIOLATION') && /positive/.test(e.message),
      );
      await assert.rejects(() => t.update({ amount: '-5' }, 'id = 1'), (e: unknown) => isDeltaError(e, 'DELTA_INVARIANT_VIOLATION'));
      assert.equal((await t.snapshot()).version, 0, 'nothing was committed');
      const a = await table();
      await a.write(rows(0, 3), { configuration: { 'delta.appendOnly': 'true' } });
      await a.write(rows(3, 4));
      await assert.rejects(() => a.delete('id = 1'), (e: unknown) => isDeltaError(e, 'DELTA_APPEND_ONLY'));
      await assert.rejects(() => a.write(rows(0, 1), { mode: 'overwrite' }), (e: unknown) => isDeltaError(e, 'DELTA_APPEND_ONLY'));
    });

    it('replaces the schema with overwriteSchema and never commits an aborted write', async () => {
      const t = await table();
      await t.write(rows(0, 3), { partitionBy: ['part'] });
      await assert.rejects(() => t.write(`SELECT 'x' AS name`, { mode: 'overwrite' }), (e: unknown) => isDeltaError(e, 'DELTA_SCHEMA_MISMATCH'));
      const r = await t.write(`SELECT 'x' AS name, 1 AS n`, { mode: 'overwrite', overwriteSchema: true });
      const s = await t.snapshot();
      assert.deepEqual(
        s.schema.fields.map((f) => f.name),
        ['name', 'n'],
      );
      assert.deepEqual(s.partitionColumns, []);
      assert.deepEqual(await t.read(), [{ name: 'x', n: 1 }]);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(() => t.write(`SELECT 'y' AS name, 2 AS n`, { signal: controller.signal }));
      assert.equal((await t.snapshot()).version, r.version, 'nothing committed');
    });

    it('makes writes idempotent with txn application ids', async () => {
      const t = await table();
      const a = await t.write(rows(0, 5), { txn: { appId: 'loader', version: 1 } });
      const b = await t.write(rows(0, 5), { txn: { appId: 'loader', version: 1 } });
      assert.equal(a.committed, true);
      assert.equal(b.committed, false);
      await t.write(rows(5, 6), { txn: { appId: 'loader', version: 2 } });
      assert.equal((await t.read()).length, 6);
      assert.equal((await t.snapshot()).txnVersion('loader'), 2);
    });

    it('commits application properties with the data, on new and existing tables', async () => {
      const t = await table();
      await t.write(rows(0, 2), { configuration: { 'delta.appendOnly': 'true' }, properties: { 'app.state': '{"page":1}' } });
      await t.write(rows(2, 4), { properties: { 'app.state': '{"page":2}' }, txn: { appId: 'loader', version: 2 } });
      const s = await t.snapshot();
      assert.equal(s.configuration['app.state'], '{"page":2}');
      assert.equal(s.configuration['delta.appendOnly'], 'true', 'table features kept');
      // An empty batch still moves the state forward; the same value commits no metadata.
      const empty = await t.write(`SELECT * FROM (${rows(0, 1)}) WHERE false`, { properties: { 'app.state': '{"done":true}' } });
      assert.equal(empty.rowsWritten, 0);
      assert.equal((await t.snapshot()).configuration['app.state'], '{"done":true}');
      assert.equal((await t.read()).length, 4);
      await assert.rejects(
        () => t.write(rows(5, 6), { properties: { 'delta.appendOnly': 'false' } }),
        (e: unknown) => isDeltaError(e, 'DELTA_INVALID_ARGUMENT') && /delta.appendOnly/.test(e.message),
      );
    });

    it('lets a gate read the written rows before the commit, and deletes them when it refuses', async () => {
      const t = await table();
      await t.write(rows(0, 4), { partitionBy: ['part'] });
      const before = (await t.store.list('')).length;
      let seen: Record<string, unknown>[] = [];
      await assert.rejects(
        () =>
          t.write(rows(10, 13), {
            beforeCommit: async (w) => {
              assert.equal(w.rows, 3);
              seen = await engine.query(`SELECT id, part FROM (${w.sql}) ORDER BY id`);
              throw new Error('gate says no');
            },
          }),
        /gate says no/,
      );
      assert.deepEqual(seen, [
        { id: 10, part: 'p1' },
        { id: 11, part: 'p2' },
        { id: 12, part: 'p0' },
      ]);
      assert.equal((await t.snapshot()).version, 0, 'nothing committed');
      assert.equal((await t.store.list('')).length, before, 'written files deleted');
      const ok = await t.write(rows(10, 13), { beforeCommit: async (w) => assert.equal(w.rows, 3) });
      assert.equal(ok.version, 1);
      assert.equal((await t.read()).length, 7);
    });

    it('checkpoints every 10 commits and reads back through the checkpoint', async () => {
      const t = await table();
      for (let i = 0; i < 12; i++) await t.write(rows(i * 2, i * 2 + 2), i === 0 ? { partitionBy: ['part'] } : {});
      await t.delete('id = 3');
      const objects = await t.store.list('_delta_log/');
      assert.ok(objects.some((o) => o.key.endsWith('00000000000000000010.checkpoint.parquet')));
      assert.ok(objects.some((o) => o.key.endsWith('_last_checkpoint')));
      const s = await (await DeltaTable.open(t.store, { engine })).snapshot();
      assert.equal(s.segment.checkpoint?.version, 10, 'a fresh reader starts from the checkpoint');
      assert.equal(s.version, 12);
      assert.equal((await t.read()).length, 23);
      assert.equal((await t.read({ version: 10 })).length, 22);
      assert.equal((await t.read({ version: 4 })).length, 10);
    });

    it('compacts small files and vacuums unreferenced ones', async () => {
      const t = await table();
      for (let i = 0; i < 5; i++) await t.write(rows(i * 10, i * 10 + 10));
      const before = await t.snapshot();
      const r = await t.optimize();
      assert.equal(r.committed, true);
      const s = await t.snapshot();
      assert.ok(s.files.length < before.files.length);
      assert.ok(s.files.every((f) => f.dataChange === false));
      assert.equal((await t.read()).length, 50);
      const history = await t.history(1);
      assert.equal(history[0]?.operation, 'OPTIMIZE');
      const dry = await t.vacuum({ retentionHours: 0, dryRun: true });
      assert.equal(dry.files.length, before.files.length);
      assert.equal((await t.vacuum({ retentionHours: 7 * 24 })).files.length, 0, 'default retention keeps recently removed files');
      const done = await t.vacuum({ retentionHours: 0 });
      assert.deepEqual([...done.files].sort(), [...dry.files].sort());
      assert.equal((await t.read()).length, 50);
      for (const key of done.files) await assert.rejects(() => t.store.head(key), /no object/);
    });
  });
}
