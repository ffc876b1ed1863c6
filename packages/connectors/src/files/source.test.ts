import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { s3TestStore } from '@strata/storage/testing';
import { isConnectorError } from '../errors.ts';
import { MAX_BATCH_FILES } from './csv-batch.ts';
import { fileSource } from './source.ts';
import { context, landing, readAll, sortBy, tempTables, testEngine, writeFiles } from './test-support.ts';
import type { ReadBatch } from './test-support.ts';

const engine = await testEngine();
let tables = 0;

/** A temporary table standing for the bronze table: the rows of `batches`, with their file columns. */
async function bronze(...batches: ReadBatch[][]): Promise<string> {
  const name = `bronze_${++tables}`;
  await engine.exec(`CREATE TEMP TABLE ${name} (_file_path VARCHAR, _file_checksum VARCHAR, v VARCHAR)`);
  for (const f of batches.flat().flatMap((b) => b.files)) {
    for (let i = 0; i < f.rows; i++) await engine.exec(`INSERT INTO ${name} VALUES ('${f.path}', '${f.checksum}', 'x')`);
  }
  return `SELECT * FROM ${name}`;
}

describe('file source', () => {
  test('lists the files matching the globs, in path order; consecutive CSV files are one batch, other files one each', async () => {
    const dir = landing({
      'b/2.csv': 'x\n2\n',
      'a.csv': 'x\n1\n',
      'b/1.csv': 'x\n3\n',
      'b/15.json': '[{"x":"5"}]',
      'notes.txt': 'not data',
      'c/skip.csv': 'x\n4\n',
    });
    const ctx = context(engine);
    const source = fileSource({ stream: 'numbers', location: dir, glob: ['*.csv', 'b/**/*', '*.txt'] });
    assert.equal(source.name, `files:${dir}`);
    assert.deepEqual(source.streams(), [{ name: 'numbers', description: `files matching *.csv, b/**/*, *.txt in ${dir}` }]);
    const batches = await readAll(source, ctx);
    assert.deepEqual(
      batches.map((b) => [b.label, b.files.map((f) => [f.path, f.rows]), sortBy(b.rows, 'x').map((r) => r.x)]),
      [
        ['a.csv … b/1.csv (2 files)', [['a.csv', 1], ['b/1.csv', 1]], ['1', '3']],
        ['b/15.json', [['b/15.json', 1]], ['5']],
        ['b/2.csv', [['b/2.csv', 1]], ['2']],
      ],
    );
    assert.ok(ctx.logs.some((l) => l.level === 'warn' && /skipped notes\.txt: its extension names no format/.test(l.message)));
  });

  test('a batch of CSV files: each row keeps its file, files of different columns and encodings read together', async () => {
    const dir = landing({
      'a.csv': 'code,nom\n01001,Ambérieux\n01002,Bourg\n',
      'b.csv': Buffer.from('code;nom;region\n30189;Nîmes;Occitanie\n', 'latin1'),
      'c.csv': 'code,nom\n',
      'd.csv.gz': 'nom,code\nLyon,69123\n',
    });
    const [b, ...more] = await readAll(fileSource({ stream: 'c', location: dir }), context(engine));
    assert.deepEqual(more, []);
    assert.deepEqual(b?.types, { code: 'VARCHAR', nom: 'VARCHAR', region: 'VARCHAR' });
    assert.deepEqual(sortBy(b?.rows ?? [], 'code'), [
      { code: '01001', nom: 'Ambérieux', region: null },
      { code: '01002', nom: 'Bourg', region: null },
      { code: '30189', nom: 'Nîmes', region: 'Occitanie' },
      { code: '69123', nom: 'Lyon', region: null },
    ]);
    assert.deepEqual(b?.files.map((f) => [f.path, f.rows]), [['a.csv', 2], ['b.csv', 1], ['d.csv.gz', 1]]);
    assert.equal(new Set(b?.files.map((f) => f.checksum)).size, 3, 'each file its own checksum');
    assert.deepEqual(b?.state, { files_without_rows: { 'c.csv': createHash('sha256').update('code,nom\n').digest('hex') } }, 'a file without rows is remembered');
  });

  test('a CSV batch holds at most MAX_BATCH_FILES files', async () => {
    const files = Object.fromEntries(Array.from({ length: MAX_BATCH_FILES + 1 }, (_, i) => [`f${String(i).padStart(3, '0')}.csv`, `n\n${i}\n`]));
    const batches = await readAll(fileSource({ stream: 'c', location: landing(files) }), context(engine));
    assert.deepEqual(
      batches.map((b) => b.files.length),
      [MAX_BATCH_FILES, 1],
    );
    assert.equal(batches.flatMap((b) => b.rows).length, MAX_BATCH_FILES + 1);
  });

  test('each file is loaded once; a changed file is loaded again', async () => {
    const dir = landing({ 'a.csv': 'x\n1\n', 'b.csv': 'x\n2\n' });
    const source = fileSource({ stream: 'numbers', location: dir });
    const first = await readAll(source, context(engine));
    assert.deepEqual(
      first.flatMap((b) => b.files.map((f) => f.path)),
      ['a.csv', 'b.csv'],
    );

    const again = await readAll(source, context(engine, await bronze(first)));
    assert.deepEqual(again, []);

    writeFiles(dir, { 'b.csv': 'x\n2\n20\n', 'c.csv': 'x\n3\n' });
    const changed = await readAll(source, context(engine, await bronze(first)));
    assert.deepEqual(
      changed.map((b) => [b.files.map((f) => [f.path, f.rows]), sortBy(b.rows, 'x')]),
      [[[['b.csv', 2], ['c.csv', 1]], [{ x: '2' }, { x: '3' }, { x: '20' }]]],
    );
    assert.notEqual(changed[0]?.files.find((f) => f.path === 'b.csv')?.checksum, first[0]?.files.find((f) => f.path === 'b.csv')?.checksum);

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
    assert.deepEqual(state, { files_without_rows: { 'bad.json': first[0]?.files[0]?.checksum ?? '' } });
    assert.equal(first[1]?.state, undefined);

    assert.deepEqual(await readAll(source, context(engine, await bronze(first)), state), []);

    writeFiles(dir, { 'bad.json': '[{"id":2}]' });
    const fixed = await readAll(source, context(engine, await bronze(first)), state);
    assert.deepEqual(
      fixed.map((b) => [b.label, b.rows, b.state]),
      [['bad.json', [{ id: 2 }], { files_without_rows: {} }]],
    );
  });

  test('a CSV file whose every line is rejected is remembered, its lines rejected once', async () => {
    const dir = landing({ 'a.csv': 'n,v\n1,2\n', 'b.csv': 'n,v\n1,2,3\n4,5,6\n' });
    const source = fileSource({ stream: 'items', location: dir });
    const first = await readAll(source, context(engine));
    assert.deepEqual(
      first.map((b) => [b.files.map((f) => f.path), b.rejected.map((r) => r.location)]),
      [[['a.csv'], ['b.csv:2', 'b.csv:3']]],
    );
    const state = first[0]?.state;
    assert.deepEqual(Object.keys((state as { files_without_rows: object }).files_without_rows), ['b.csv']);
    assert.deepEqual(await readAll(source, context(engine, await bronze(first)), state), []);
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
      batches.map((b) => [b.label, b.files.map((f) => [f.path, f.rows]), sortBy(b.rows, 'x')]),
      [
        ['q?.csv … qz.csv (2 files)', [['q?.csv', 1], ['qz.csv', 1]], [{ x: '1' }, { x: '2' }]],
        ['r1.ndjson', [['r1.ndjson', 1]], [{ x: 4 }]],
        ['r[1].ndjson', [['r[1].ndjson', 1]], [{ x: 3 }]],
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
      const rows: Record<string, unknown>[] = batch.data.kind === 'sql' ? await engine.query(batch.data.sql) : [];
      batches.push([batch.label, rows.length]);
      if (batch.label === 'events.ndjson') {
        assert.deepEqual([...rows], [{ id: 1 }]);
        const rejected = typeof batch.rejected === 'function' ? await batch.rejected() : batch.rejected;
        assert.deepEqual(rejected?.map((r) => r.location), ['events.ndjson:2']);
      }
      if (batch.label?.startsWith('2024/')) {
        assert.deepEqual(
          rows.filter((r) => r._file_path === '2024/latin.csv.gz').map((r) => [r.code, r.nom]),
          [['30189', 'Nîmes']],
        );
      }
      assert.ok(copies().length > 0, 'the files being loaded are on local disk');
    }
    assert.deepEqual(batches, [
      ['2024/communes.csv … 2024/latin.csv.gz (2 files)', 3],
      ['events.ndjson', 1],
    ]);
    assert.deepEqual(copies(), []);
  });
});
