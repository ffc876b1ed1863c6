import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DeltaTable, DuckDbEngine } from '@strata/delta';
import { LocalObjectStore, MemoryObjectStore } from '@strata/storage';
import type { JsonValue, Source, SourceBatch } from '../source.ts';
import { pagedSource } from '../../test/fixtures/paged-source.ts';
import { STATE_PROPERTY } from './columns.ts';
import type { LoadTarget } from './load-stream.ts';
import { loadStream } from './load-stream.ts';

/** A source yielding the given batches once, recording the state it was started from. */
function batchesSource(batches: SourceBatch[]): Source & { startedFrom: (JsonValue | undefined)[] } {
  const startedFrom: (JsonValue | undefined)[] = [];
  return {
    name: 'test:batches',
    startedFrom,
    streams: () => [{ name: 's' }],
    async *read(_s, state) {
      startedFrom.push(state);
      yield* batches;
    },
  };
}

describe('bronze loader', () => {
  let engine: DuckDbEngine;
  let n = 0;
  const target = (): LoadTarget & { store: MemoryObjectStore } => {
    const store = new MemoryObjectStore();
    const name = `t${n++}`;
    return {
      store,
      engine,
      table: async () => DeltaTable.open(store.child(name), { engine }),
      quarantine: async () => DeltaTable.open(store.child(`${name}__quarantine`), { engine }),
    };
  };
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  it('appends each batch with its load columns and state, then resumes from the state', async () => {
    const t = target();
    const first = await loadStream(pagedSource(3, 10), 'items', t, { runId: 'run-1', batchRows: 1 });
    assert.equal(first.batches, 3);
    assert.equal(first.rowsWritten, 30);
    assert.equal(first.resumed, false);
    const table = await t.table();
    const snap = await table.snapshot();
    assert.equal(snap.configuration['delta.appendOnly'], 'true');
    assert.deepEqual(JSON.parse(snap.configuration[STATE_PROPERTY] as string), { page: 3 });
    const rows = await engine.query<{ n: number; batches: number; runs: string; src: string; ingested: number }>(
      `SELECT count(*) AS n, count(DISTINCT _batch_id) AS batches, min(_run_id) AS runs, min(_source) AS src,
         count(*) FILTER (WHERE _ingested_at IS NOT NULL) AS ingested FROM (${await table.scanSql()})`,
    );
    assert.deepEqual(rows[0], { n: 30, batches: 3, runs: 'run-1', src: 'test:paged', ingested: 30 });
    // The next load starts from the stored state: nothing new, nothing duplicated.
    const source = pagedSource(5, 10);
    const second = await loadStream(source, 'items', t, { runId: 'run-2', batchRows: 1 });
    assert.deepEqual(source.reads, [3, 4]);
    assert.equal(second.resumed, true);
    assert.equal(second.rowsWritten, 20);
    const ids = await engine.query<{ n: number; d: number }>(`SELECT count(*) AS n, count(DISTINCT id) AS d FROM (${await table.scanSql()})`);
    assert.deepEqual(ids[0], { n: 50, d: 50 });
    // Deleting from a bronze table is refused: it is append-only.
    await assert.rejects(() => table.delete('id = 1'));
  });

  it('commits consecutive pages together, with the state of the last one', async () => {
    const t = target();
    const report = await loadStream(pagedSource(7, 300), 'items', t, { runId: 'r', batchRows: 1000 });
    assert.equal(report.batches, 2, 'pages 0-3 (1,200 rows), then pages 4-6');
    assert.equal(report.rowsWritten, 2100);
    assert.deepEqual(JSON.parse((await (await t.table()).snapshot()).configuration[STATE_PROPERTY] as string), { page: 7 });
  });

  it('adds new fields as columns and keeps values of a changed type raw, reporting both', async () => {
    const t = target();
    await loadStream(batchesSource([{ data: { kind: 'records', records: [{ id: 1, amount: 10, code: '01000' }] }, state: { v: 1 } }]), 's', t, { runId: 'r' });
    const logs: string[] = [];
    const report = await loadStream(
      batchesSource([
        {
          data: {
            kind: 'records',
            records: [
              { id: 2, amount: 12.5, code: '01001', channel: 'web', tags: ['a'], extra: { nested: true } },
              { id: 3, amount: 'n/a', code: 1002 },
              { id: 4, amount: 7, code: null },
            ],
          },
          state: { v: 2 },
        },
      ]),
      's',
      t,
      { runId: 'r', log: (_l, m) => logs.push(m) },
    );
    assert.deepEqual([...report.newColumns].sort(), ['channel', 'extra', 'tags']);
    const changes = Object.fromEntries(report.typeChanges.map((c) => [c.column, c]));
    assert.equal(changes.amount?.expected, 'BIGINT');
    assert.equal(changes.amount?.rows, 2, '12.5 and "n/a" do not fit a BIGINT column');
    assert.ok(logs.some((l) => /amount/.test(l) && /_rescued_data/.test(l)));
    const rows = await engine.query<Record<string, unknown>>(
      `SELECT id, amount, code, channel, tags, extra, _rescued_data FROM (${await (await t.table()).scanSql()}) ORDER BY id`,
    );
    assert.deepEqual(rows.map((r) => r.amount), [10, null, null, 7]);
    assert.deepEqual(JSON.parse(rows[1]?._rescued_data as string), { amount: 12.5 });
    assert.deepEqual(JSON.parse(rows[2]?._rescued_data as string), { amount: 'n/a', code: 1002 }, 'a number for a text column is kept raw');
    assert.equal(rows[1]?.tags, '["a"]');
    assert.equal(rows[1]?.extra, '{"nested":true}');
    assert.equal(rows[3]?._rescued_data, null);
  });

  it('rescues SQL batches whose column types changed, without casting values away', async () => {
    const t = target();
    await loadStream(batchesSource([{ data: { kind: 'sql', sql: `SELECT 1::BIGINT AS id, 5::BIGINT AS qty` } }]), 's', t, { runId: 'r' });
    const report = await loadStream(
      batchesSource([{ data: { kind: 'sql', sql: `SELECT * FROM (VALUES (2, '7'), (3, 'seven'), (4, NULL)) v(id, qty)` } }]),
      's',
      t,
      { runId: 'r' },
    );
    assert.equal(report.typeChanges[0]?.column, 'qty');
    assert.equal(report.typeChanges[0]?.rows, 1);
    const rows = await engine.query<{ id: number; qty: number | null; _rescued_data: string | null }>(
      `SELECT id, qty, _rescued_data FROM (${await (await t.table()).scanSql()}) ORDER BY id`,
    );
    assert.deepEqual(rows.map((r) => r.qty), [5, 7, null, null]);
    assert.deepEqual(JSON.parse(rows[2]?._rescued_data as string), { qty: 'seven' });
    assert.equal(rows[3]?._rescued_data, null, 'a NULL is not a type change');
  });

  it('stores typed rows with their declared types', async () => {
    const t = target();
    await loadStream(
      batchesSource([
        {
          data: {
            kind: 'typed',
            columns: [
              { name: 'id', type: 'BIGINT' },
              { name: 'price', type: 'DECIMAL(12,2)' },
              { name: 'ts', type: 'TIMESTAMPTZ' },
            ],
            rows: [{ id: '9007199254740993', price: '19.99', ts: '2024-05-01T10:00:00.000Z' }],
          },
        },
      ]),
      's',
      t,
      { runId: 'r' },
    );
    const [row] = await engine.query<Record<string, unknown>>(
      `SELECT CAST(id AS VARCHAR) AS id, CAST(price AS VARCHAR) AS price, typeof(price) AS tp, typeof(ts) AS ta FROM (${await (await t.table()).scanSql()})`,
    );
    assert.deepEqual(row, { id: '9007199254740993', price: '19.99', tp: 'DECIMAL(12,2)', ta: 'TIMESTAMP WITH TIME ZONE' });
  });

  it('sends rejected records to the quarantine table with reason, raw text and location', async () => {
    const t = target();
    const report = await loadStream(
      batchesSource([
        {
          data: { kind: 'records', records: [{ id: 1 }] },
          rejected: [{ raw: '{"id": 2,', reason: 'not valid JSON', location: 'drop/a.ndjson:2' }],
          columns: { _file_path: 'drop/a.ndjson' },
        },
      ]),
      's',
      t,
      { runId: 'r9' },
    );
    assert.equal(report.rejected, 1);
    const q = await t.quarantine();
    const rows = await engine.query<Record<string, unknown>>(`SELECT _stream, _reason, _raw, _location, _run_id FROM (${await q.scanSql()})`);
    assert.deepEqual(rows, [{ _stream: 's', _reason: 'not valid JSON', _raw: '{"id": 2,', _location: 'drop/a.ndjson:2', _run_id: 'r9' }]);
    const [data] = await engine.query<{ p: string }>(`SELECT _file_path AS p FROM (${await (await t.table()).scanSql()})`);
    assert.equal(data?.p, 'drop/a.ndjson');
  });

  it('refuses a field named like a load column', async () => {
    const t = target();
    await assert.rejects(
      () => loadStream(batchesSource([{ data: { kind: 'records', records: [{ id: 1, _run_id: 'x' }] } }]), 's', t, { runId: 'r' }),
      /_run_id.*load metadata column/,
    );
  });

  it('resumes after a failure mid-load without losing or repeating a batch', async () => {
    const t = target();
    const failing: Source = {
      ...pagedSource(6, 5),
      async *read(stream, state, ctx) {
        for await (const b of pagedSource(6, 5).read(stream, state, ctx)) {
          if ((b.state as { page: number }).page === 4) throw new Error('network down');
          yield b;
        }
      },
    };
    await assert.rejects(() => loadStream(failing, 'items', t, { runId: 'r1', batchRows: 1 }), /network down/);
    const source = pagedSource(6, 5);
    await loadStream(source, 'items', t, { runId: 'r2', batchRows: 1 });
    assert.deepEqual(source.reads, [3, 4, 5]);
    const [ids] = await engine.query<{ n: number; d: number }>(`SELECT count(*) AS n, count(DISTINCT id) AS d FROM (${await (await t.table()).scanSql()})`);
    assert.deepEqual(ids, { n: 30, d: 30 });
  });

  it('survives the process being killed mid-load: exactly once after resuming', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-kill-'));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../test/fixtures/kill-mid-load.ts', import.meta.url)), dir, '40', '50'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let commits = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        commits += chunk.toString().split('\n').filter((l) => l.includes('committed')).length;
        if (commits >= 5 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    assert.ok(commits >= 5 && commits < 40, `killed mid-load after ${commits} commits`);
    const store = new LocalObjectStore({ directory: dir });
    const target: LoadTarget = {
      engine,
      table: async () => DeltaTable.open(store.child('items'), { engine }),
      quarantine: async () => DeltaTable.open(store.child('items__quarantine'), { engine }),
    };
    const resumed = await loadStream(pagedSource(40, 50), 'items', target, { runId: 'resume' });
    assert.equal(resumed.resumed, true);
    const table = await target.table();
    const [ids] = await engine.query<{ n: number; d: number; lo: number; hi: number }>(
      `SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM (${await table.scanSql()})`,
    );
    assert.deepEqual(ids, { n: 2000, d: 2000, lo: 0, hi: 1999 });
  });
});
