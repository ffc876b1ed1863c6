import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DeltaTable, DuckDbEngine } from '@strata/delta';
import { MemoryObjectStore } from '@strata/storage';
import type { ObjectStore, PutBody } from '@strata/storage';
import { DelegatingStore } from '@strata/storage/testing';
import { fileSource } from '../files/source.ts';
import { landing } from '../files/test-support.ts';
import type { RejectedRecord, Source, SourceBatch } from '../source.ts';
import type { LoadTarget } from './load-stream.ts';
import { loadStream } from './load-stream.ts';

const COMMIT = /^_delta_log\/\d{20}\.json$/;

/** A store recording the Delta commits written through it; `failNext` makes the next commit fail once. */
class RecordingStore extends DelegatingStore {
  failNext = false;

  constructor(
    inner: ObjectStore,
    private readonly name: string,
    private readonly commits: string[],
  ) {
    super(inner);
  }

  override async putIfAbsent(key: string, body: PutBody): Promise<void> {
    if (COMMIT.test(key) && this.failNext) {
      this.failNext = false;
      throw new Error('the disk is full');
    }
    await this.inner.putIfAbsent(key, body);
    if (COMMIT.test(key)) this.commits.push(this.name);
  }
  override child(prefix: string): ObjectStore {
    return new RecordingStore(this.inner.child(prefix), `${this.name}/${prefix}`, this.commits);
  }
}

/** A source yielding `batches` on every read. */
function source(batches: () => SourceBatch[]): Source {
  return {
    name: 'test:after-read',
    streams: () => [{ name: 's' }],
    async *read() {
      yield* batches();
    },
  };
}

const bad = (n: number): RejectedRecord => ({ raw: `line ${n}`, reason: 'too many fields', location: `a.csv:${n}` });

describe('rejected records collected after the read', () => {
  let engine: DuckDbEngine;
  const target = () => {
    const commits: string[] = [];
    const memory = new MemoryObjectStore();
    const data = new RecordingStore(memory.child('t'), 'data', commits);
    const q = new RecordingStore(memory.child('t__quarantine'), 'quarantine', commits);
    const t: LoadTarget = {
      engine,
      table: async () => DeltaTable.open(data, { engine }),
      quarantine: async () => DeltaTable.open(q, { engine }),
    };
    return { ...t, data, commits, memory };
  };
  const rows = async (t: LoadTarget, which: 'table' | 'quarantine', columns: string) =>
    engine.query<Record<string, unknown>>(`SELECT ${columns} FROM (${await (await t[which]()).scanSql()}) ORDER BY ALL`);
  before(async () => {
    engine = await DuckDbEngine.create({ threads: 2 });
  });
  after(async () => {
    await engine.close();
  });

  it('are asked for once the rows are written, and quarantined before the data commit', async () => {
    const t = target();
    const seen: { calls: number; parquet: number; committed: string[] } = { calls: 0, parquet: 0, committed: [] };
    const report = await loadStream(
      source(() => [
        {
          data: { kind: 'sql', sql: `SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(id, name)` },
          rejected: async () => {
            seen.calls++;
            seen.parquet = (await t.memory.list('t/')).filter((m) => m.key.endsWith('.parquet')).length;
            seen.committed = [...t.commits];
            return [bad(3), bad(5)];
          },
          state: { file: 1 },
        },
      ]),
      's',
      t,
      { runId: 'r1' },
    );
    assert.equal(seen.calls, 1);
    assert.ok(seen.parquet > 0, 'the rows were written when the rejected records were asked for');
    assert.deepEqual(seen.committed, [], 'nothing was committed yet');
    assert.deepEqual(t.commits, ['quarantine', 'data'], 'the quarantine is committed first');
    assert.equal(report.rejected, 2);
    assert.deepEqual(await rows(t, 'quarantine', '_location, _run_id'), [
      { _location: 'a.csv:3', _run_id: 'r1' },
      { _location: 'a.csv:5', _run_id: 'r1' },
    ]);
    assert.deepEqual(await rows(t, 'table', 'id'), [{ id: 1 }, { id: 2 }]);
  });

  it('are quarantined once when the data commit failed after the quarantine and the load is run again', async () => {
    const t = target();
    const batches = () => [
      { data: { kind: 'sql', sql: `SELECT 1 AS id` }, rejected: async () => [bad(2)], state: { file: 1 } } satisfies SourceBatch,
      { data: { kind: 'sql', sql: `SELECT 2 AS id` }, rejected: async () => [bad(7)], state: { file: 2 } } satisfies SourceBatch,
    ];
    t.data.failNext = true;
    await assert.rejects(loadStream(source(batches), 's', t, { runId: 'r1' }), /the disk is full/);
    assert.deepEqual(t.commits, ['quarantine'], 'the first batch was quarantined, its data not committed');

    const retry = await loadStream(source(batches), 's', t, { runId: 'r2' });
    assert.equal(retry.batches, 2);
    assert.equal(retry.rejected, 1, 'only the second batch quarantined anything in the retry');
    assert.deepEqual(await rows(t, 'quarantine', '_location, _run_id'), [
      { _location: 'a.csv:2', _run_id: 'r1' },
      { _location: 'a.csv:7', _run_id: 'r2' },
    ]);
    assert.deepEqual(await rows(t, 'table', 'id'), [{ id: 1 }, { id: 2 }]);
  });

  it('are asked for at once when the batch has no relation to read', async () => {
    const t = target();
    const report = await loadStream(
      source(() => [{ data: { kind: 'records', records: [] }, rejected: async () => [bad(1)], state: { file: 1 } }]),
      's',
      t,
      { runId: 'r1' },
    );
    assert.equal(report.rejected, 1);
    assert.deepEqual(await rows(t, 'quarantine', '_location'), [{ _location: 'a.csv:1' }]);
  });

  it('CSV lines are quarantined once, though the loader reads the file more than once', async () => {
    const t = target();
    const dir = landing({ 'a.csv': 'code,population\n01001,14000\n' });
    await loadStream(fileSource({ stream: 's', location: dir }), 's', t, { runId: 'r1' });
    // Declared BIGINT where the table has text: the loader counts the values that do not fit
    // (reading the column alone) before it writes every column.
    writeFileSync(join(dir, 'b.csv'), 'code,population\n01002,15000\n01003,16000,extra\n01004,many\n01005\n');
    const report = await loadStream(fileSource({ stream: 's', location: dir, csv: { columns: { population: 'BIGINT' } } }), 's', t, {
      runId: 'r2',
    });
    assert.equal(report.rejected, 3);
    assert.deepEqual(await rows(t, 'quarantine', '_location, _reason'), [
      { _location: 'b.csv:3', _reason: 'too many fields: expected 2, found 3' },
      { _location: 'b.csv:4', _reason: 'value "many" of column population is not a valid BIGINT' },
      { _location: 'b.csv:5', _reason: 'too few fields: expected 2, found 1' },
    ]);
    assert.deepEqual(await rows(t, 'table', 'code, population, _file_path'), [
      { code: '01001', population: '14000', _file_path: 'a.csv' },
      { code: '01002', population: '15000', _file_path: 'b.csv' },
    ]);
  });
});
