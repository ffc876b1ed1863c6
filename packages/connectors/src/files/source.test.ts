import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { s3TestStore } from '@strata/storage/testing';
import { isConnectorError } from '../errors.ts';
import { fileSource } from './source.ts';
import { context, landing, readAll, sortBy, tempTables, testEngine, writeFiles } from './test-support.ts';
import type { ReadBatch } from './test-support.ts';

const engine = await testEngine();
let tables = 0;

/** A temporary table standing for the bronze table: the rows of `batches`, with their file columns. */
async function bronze(...batches: ReadBatch[][]): Promise<string> {
  const name = `bronze_${++tables}`;
  await engine.exec(`CREATE TEMP TABLE ${name} (_file_path VARCHAR, _file_checksum VARCHAR, v VARCHAR)`);
  for (const b of batches.flat()) {
    for (const _row of b.rows) {
      await engine.exec(`INSERT INTO ${name} VALUES ('${b.columns?._file_path}', '${b.columns?._file_checksum}', 'x')`);
    }
  }
  return `SELECT * FROM ${name}`;
}

describe('file source', () => {
  test('lists the files matching the globs, in path order, one batch each', async () => {
    const dir = landing({
      'b/2.csv': 'x\n2\n',
      'a.csv': 'x\n1\n',
      'b/1.csv': 'x\n3\n',
      'notes.txt': 'not data',
      'c/skip.csv': 'x\n4\n',
    });
    const ctx = context(engine);
    const source = fileSource({ stream: 'numbers', location: dir, glob: ['*.csv', 'b/**/*.csv', '*.txt'] });
    assert.equal(source.name, `files:${dir}`);
    assert.deepEqual(source.streams(), [{ name: 'numbers', description: `files matching *.csv, b/**/*.csv, *.txt in ${dir}` }]);
    const batches = await readAll(source, ctx);
    assert.deepEqual(
      batches.map((b) => b.label),
      ['a.csv', 'b/1.csv', 'b/2.csv'],
    );
    assert.ok(ctx.logs.some((l) => l.level === 'warn' && /skipped notes\.txt: its extension names no format/.test(l.message)));
  });

  test('each file is loaded once; a changed file is loaded again as a new batch', async () => {
    const dir = landing({ 'a.csv': 'x\n1\n', 'b.csv': 'x\n2\n' });
    const source = fileSource({ stream: 'numbers', location: dir });
    const first = await readAll(source, context(engine));
    assert.deepEqual(
      first.map((b) => b.label),
      ['a.csv', 'b.csv'],
    );

    const again = await readAll(source, context(engine, await bronze(first)));
    assert.deepEqual(again, []);

    writeFiles(dir, { 'b.csv': 'x\n2\n20\n', 'c.csv': 'x\n3\n' });
    const changed = await readAll(source, context(engine, await bronze(first)));
    assert.deepEqual(
      changed.map((b) => [b.label, sortBy(b.rows, 'x')]),
      [
        ['b.csv', [{ x: '2' }, { x: '20' }]],
        ['c.csv', [{ x: '3' }]],
      ],
    );
    assert.notEqual(changed[0]?.columns?._file_checksum, first[1]?.columns?._file_checksum);

    // Touching a file without changing its bytes does not load it again.
    writeFiles(dir, { 'a.csv': 'x\n1\n' });
    assert.deepEqual(await readAll(source, context(engine, await bronze(first, changed))), []);
  });

  test('a file that gave no row is remembered in the state, not read again until it changes', async () => {
    const dir = landing({ 'bad.json': '{"broken"', 'ok.json': '[{"id":1}]' });
    const source = fileSource({ stream: 'items', location: dir });
    const first = await readAll(source, context(engine));
    assert.deepEqual(
      first.map((b) => [b.label, b.rows.length, b.rejected.length]),
      [
        ['bad.json', 0, 1],
        ['ok.json', 1, 0],
      ],
    );
    const state = first[0]?.state;
    assert.deepEqual(state, { files_without_rows: { 'bad.json': first[0]?.columns?._file_checksum ?? '' } });
    assert.equal(first[1]?.state, undefined);

    assert.deepEqual(await readAll(source, context(engine, await bronze(first)), state), []);

    writeFiles(dir, { 'bad.json': '[{"id":2}]' });
    const fixed = await readAll(source, context(engine, await bronze(first)), state);
    assert.deepEqual(
      fixed.map((b) => [b.label, b.rows, b.state]),
      [['bad.json', [{ id: 2 }], { files_without_rows: {} }]],
    );
  });

  test('Parquet files are read as they are, types included', async () => {
    const dir = landing();
    const file = join(dir, 'parks.parquet');
    await engine.exec(
      `COPY (SELECT 1::INTEGER AS id, DATE '2024-05-01' AS opened, 12.5::DECIMAL(5,2) AS fee) TO '${file}' (FORMAT parquet)`,
    );
    const [b] = await readAll(fileSource({ stream: 'parks', location: dir }), context(engine));
    assert.equal(b?.label, 'parks.parquet');
    assert.deepEqual(b?.types, { id: 'INTEGER', opened: 'DATE', fee: 'DECIMAL(5,2)' });
    assert.equal(b?.rows[0]?.id, 1);
  });

  test('file names DuckDB would take for patterns are read as the one file they name', async () => {
    const dir = landing({ 'q?.csv': 'x\n1\n', 'qz.csv': 'x\n2\n', 'r[1].ndjson': '{"x":3}\n', 'r1.ndjson': '{"x":4}\n' });
    const batches = await readAll(fileSource({ stream: 's', location: dir }), context(engine));
    assert.deepEqual(
      batches.map((b) => [b.label, b.rows]),
      [
        ['q?.csv', [{ x: '1' }]],
        ['qz.csv', [{ x: '2' }]],
        ['r1.ndjson', [{ x: 4 }]],
        ['r[1].ndjson', [{ x: 3 }]],
      ],
    );
  });

  test('a relative location is resolved against baseDir', async () => {
    const dir = landing({ 'landing/communes/a.csv': 'code\n01001\n' });
    const batches = await readAll(fileSource({ stream: 'c', location: './landing/communes' }, { baseDir: dir }), context(engine));
    assert.deepEqual(batches[0]?.rows, [{ code: '01001' }]);
  });

  test('a missing location or an unreadable file is CONNECTOR_FILES naming it', async () => {
    const missing = join(landing(), 'nowhere');
    await assert.rejects(readAll(fileSource({ stream: 's', location: missing }), context(engine)), (e: unknown) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_FILES'));
      assert.match(e.message, new RegExp(`location ${missing} does not exist`));
      return true;
    });
    const dir = landing({ 'fake.parquet': 'not parquet at all' });
    await assert.rejects(readAll(fileSource({ stream: 's', location: dir }), context(engine)), (e: unknown) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_FILES'));
      assert.match(e.message, new RegExp(`cannot read ${dir}/fake\\.parquet as Parquet`));
      assert.equal(e.retryable, false, 'reading a file the engine cannot understand again will not help');
      return true;
    });
    const gz = landing();
    writeFileSync(join(gz, 'cut.csv.gz'), gzipSync(Buffer.from('a,b\n1,2\n')).subarray(0, 12));
    await assert.rejects(readAll(fileSource({ stream: 's', location: gz }), context(engine)), (e: unknown) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_FILES'));
      assert.match(e.message, /cut\.csv\.gz/);
      return true;
    });
    assert.deepEqual(await tempTables(engine), []);
  });

  test('an unknown stream is a configuration error; an aborted load is canceled', async () => {
    const source = fileSource({ stream: 's', location: landing({ 'a.csv': 'x\n1\n' }) });
    assert.throws(() => source.read('other', undefined, context(engine)), (e: unknown) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG'));
    const controller = new AbortController();
    controller.abort();
    const ctx = { ...context(engine), signal: controller.signal };
    await assert.rejects(readAll(source, ctx), (e: unknown) => isConnectorError(e, 'CONNECTOR_CANCELED'));
  });

  test('an S3 prefix: files downloaded to the engine temporary folder, removed once consumed', async () => {
    const s3 = await s3TestStore('files-source');
    await s3.store.put('drop/2024/communes.csv', Buffer.from('code;nom\n01001;Ambérieux\n01002;Bourg\n'));
    await s3.store.put('drop/2024/latin.csv.gz', gzipSync(Buffer.from('code;nom\n30189;Nîmes\n', 'latin1')));
    await s3.store.put('drop/events.ndjson', Buffer.from('{"id":1}\n{oops\n'));
    await s3.store.put('elsewhere/x.csv', Buffer.from('code\n9\n'));
    const location = `${s3.uri}/drop`;
    const source = fileSource({ stream: 'communes', location }, { store: s3.store.child('drop') });
    assert.equal(source.name, `files:${location}`);

    const copies = () => readdirSync(engine.tempDir).filter((n) => n.startsWith('files-'));
    const batches: [string | undefined, number][] = [];
    for await (const batch of source.read('communes', undefined, context(engine))) {
      assert.equal(batch.data.kind, 'sql');
      const rows = batch.data.kind === 'sql' ? await engine.query(batch.data.sql) : [];
      batches.push([batch.label, rows.length]);
      if (batch.label === 'events.ndjson') {
        assert.deepEqual(rows, [{ id: 1 }]);
        assert.deepEqual(batch.rejected?.map((r) => r.location), ['events.ndjson:2']);
      }
      if (batch.label === '2024/latin.csv.gz') assert.deepEqual(rows, [{ code: '30189', nom: 'Nîmes' }]);
      assert.ok(copies().length > 0, 'the file being loaded is on local disk');
    }
    assert.deepEqual(batches, [
      ['2024/communes.csv', 2],
      ['2024/latin.csv.gz', 1],
      ['events.ndjson', 1],
    ]);
    assert.deepEqual(copies(), []);
  });
});
