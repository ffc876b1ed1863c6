import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isConnectorError } from '../errors.ts';
import type { FileSourceConfigInput } from './config.ts';
import { fileSource } from './source.ts';
import { context, landing, readAll, sortBy, tempTables, testEngine } from './test-support.ts';

const engine = await testEngine();

async function read(files: Record<string, string | Uint8Array>, config: Partial<FileSourceConfigInput> = {}) {
  const dir = landing(files);
  const ctx = context(engine);
  const batches = await readAll(fileSource({ stream: 'communes', location: dir, ...config }), ctx);
  return { batches, logs: ctx.logs };
}

describe('CSV files', () => {
  test('comma-separated with a header: every value kept as text, file columns added', async () => {
    const { batches } = await read({ 'communes.csv': 'code,nom,population\n01001,L\'Abergement,776\n01002,"Ambérieux, Ain",1250\n' });
    assert.equal(batches.length, 1);
    const [b] = batches;
    assert.equal(b?.label, 'communes.csv');
    assert.deepEqual(b?.types, { code: 'VARCHAR', nom: 'VARCHAR', population: 'VARCHAR' });
    assert.deepEqual(sortBy(b?.rows ?? [], 'code'), [
      { code: '01001', nom: "L'Abergement", population: '776' },
      { code: '01002', nom: 'Ambérieux, Ain', population: '1250' },
    ]);
    assert.deepEqual(b?.files.map((f) => [f.path, f.rows]), [['communes.csv', 2]]);
    assert.match(String(b?.files[0]?.checksum), /^[0-9a-f]{64}$/);
    assert.match(String(b?.files[0]?.modified), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(b?.rejected, []);
    assert.equal(b?.state, undefined);
  });

  test('semicolon- and tab-separated files are detected; the delimiter can be set', async () => {
    const text = 'code;nom\n01001;Ambérieux\n01002;Bourg\n';
    const sniffed = await read({ 'a.csv': text });
    assert.deepEqual(sortBy(sniffed.batches[0]?.rows ?? [], 'code'), [
      { code: '01001', nom: 'Ambérieux' },
      { code: '01002', nom: 'Bourg' },
    ]);
    const piped = await read({ 'b.csv': 'code|nom\n01001|A;B\n' }, { csv: { delimiter: '|' } });
    assert.deepEqual(piped.batches[0]?.rows, [{ code: '01001', nom: 'A;B' }]);
    const tabs = await read({ 'c.tsv': 'code\tnom\n01001\tA, B\n' });
    assert.deepEqual(tabs.batches[0]?.rows, [{ code: '01001', nom: 'A, B' }]);
  });

  test('the header is detected, and can be forced either way', async () => {
    const numbers = { 'n.csv': '1,2\n3,4\n5,6\n' };
    const detected = await read(numbers);
    assert.deepEqual(Object.keys(detected.batches[0]?.types ?? {}), ['column0', 'column1']);
    assert.equal(detected.batches[0]?.rows.length, 3);

    const forced = await read(numbers, { csv: { header: true } });
    assert.deepEqual(Object.keys(forced.batches[0]?.types ?? {}), ['1', '2']);
    assert.equal(forced.batches[0]?.rows.length, 2);

    const without = await read({ 'w.csv': 'code,nom\nx,y\n' }, { csv: { header: false } });
    assert.deepEqual(sortBy(without.batches[0]?.rows ?? [], 'column0'), [
      { column0: 'code', column1: 'nom' },
      { column0: 'x', column1: 'y' },
    ]);
  });

  test('a Latin-1 file is read correctly, detected or declared', async () => {
    const bytes = Buffer.from('nom;ville\nFrançois;Béziers\nCécile;Besançon\n', 'latin1');
    const detected = await read({ 'latin.csv': bytes });
    assert.deepEqual(sortBy(detected.batches[0]?.rows ?? [], 'nom'), [
      { nom: 'Cécile', ville: 'Besançon' },
      { nom: 'François', ville: 'Béziers' },
    ]);
    assert.deepEqual(detected.batches[0]?.rejected, []);
    assert.ok(detected.logs.some((l) => /not valid UTF-8: read as Latin-1/.test(l.message)));
    const declared = await read({ 'latin.csv': bytes }, { csv: { encoding: 'latin-1' } });
    assert.deepEqual(sortBy(declared.batches[0]?.rows ?? [], 'nom'), sortBy(detected.batches[0]?.rows ?? [], 'nom'));
  });

  test('a gzip-compressed CSV, in Latin-1 too', async () => {
    const { batches } = await read({
      'a.csv.gz': 'code,nom\n01001,Ambérieux\n',
      'b.csv.gz': Buffer.from('code,nom\n30189,Nîmes\n', 'latin1'),
    });
    assert.equal(batches.length, 1);
    assert.deepEqual(sortBy(batches[0]?.rows ?? [], 'code'), [
      { code: '01001', nom: 'Ambérieux' },
      { code: '30189', nom: 'Nîmes' },
    ]);
    assert.deepEqual(batches[0]?.files.map((f) => [f.path, f.rows]), [['a.csv.gz', 1], ['b.csv.gz', 1]]);
  });

  test('declared column types: values that do not convert are rejected with path:line', async () => {
    const { batches } = await read(
      { 'dept/communes.csv': 'code,nom,population\n01001,Ambérieux,14000\n01002,Bourg,abc\n01003,Oyonnax,22000\n' },
      { csv: { columns: { population: 'BIGINT' } } },
    );
    const [b] = batches;
    assert.deepEqual(b?.types, { code: 'VARCHAR', nom: 'VARCHAR', population: 'BIGINT' });
    assert.deepEqual(sortBy(b?.rows ?? [], 'code'), [
      { code: '01001', nom: 'Ambérieux', population: 14000 },
      { code: '01003', nom: 'Oyonnax', population: 22000 },
    ]);
    assert.deepEqual(b?.rejected, [
      { raw: '01002,Bourg,abc', reason: 'value "abc" of column population is not a valid BIGINT', location: 'dept/communes.csv:3' },
    ]);
  });

  test('lines with too many or too few fields are rejected with their raw text', async () => {
    const { batches } = await read({ 'c.csv': 'code,nom,population\n01001,A,1\n01002,B,2,extra\n01003,C,3\n01004,D\n' });
    const [b] = batches;
    assert.deepEqual(sortBy(b?.rows ?? [], 'code'), [
      { code: '01001', nom: 'A', population: '1' },
      { code: '01003', nom: 'C', population: '3' },
    ]);
    assert.deepEqual(b?.rejected, [
      { raw: '01002,B,2,extra', reason: 'too many fields: expected 3, found 4', location: 'c.csv:3' },
      { raw: '01004,D', reason: 'too few fields: expected 3, found 2', location: 'c.csv:5' },
    ]);
  });

  test('rejected lines are collected once the file was read, each once however often it was read', async () => {
    const dir = landing({ 'c.csv': 'code,population\n01001,1\n01002,2,extra\n01003,many\n01004,4\n' });
    const source = fileSource({ stream: 's', location: dir, csv: { columns: { population: 'BIGINT' } } });
    for await (const batch of source.read('s', undefined, context(engine))) {
      assert.ok(batch.data.kind === 'sql' && typeof batch.rejected === 'function');
      // Only the code column: values of population are not converted, so "many" is not rejected.
      assert.equal((await engine.query(`SELECT code FROM (${batch.data.sql})`)).length, 3);
      assert.equal((await engine.query(batch.data.sql)).length, 2);
      assert.equal((await engine.query(batch.data.sql)).length, 2);
      assert.deepEqual(await batch.rejected(), [
        { raw: '01002,2,extra', reason: 'too many fields: expected 2, found 3', location: 'c.csv:3' },
        { raw: '01003,many', reason: 'value "many" of column population is not a valid BIGINT', location: 'c.csv:4' },
      ]);
    }
  });

  test('skip_rows skips lines before the header; without a header, declared columns name the fields', async () => {
    const skipped = await read({ 's.csv': 'Export of 2024-01-01\n\ncode,nom\n1,A\n' }, { csv: { skip_rows: 2, header: true } });
    assert.deepEqual(skipped.batches[0]?.rows, [{ code: '1', nom: 'A' }]);
    const named = await read({ 'n.csv': '1,A\n2,B\n' }, { csv: { header: false, columns: { id: 'INTEGER', nom: 'VARCHAR' } } });
    assert.deepEqual(named.batches[0]?.types, { id: 'INTEGER', nom: 'VARCHAR' });
    assert.deepEqual(sortBy(named.batches[0]?.rows ?? [], 'id'), [
      { id: 1, nom: 'A' },
      { id: 2, nom: 'B' },
    ]);
  });

  test('a declared column the file lacks is reported', async () => {
    const { logs } = await read({ 'a.csv': 'code,nom\n1,A\n' }, { csv: { columns: { population: 'BIGINT' } } });
    assert.ok(logs.some((l) => l.level === 'warn' && /no column population declared in csv\.columns/.test(l.message)));
  });

  test('an empty file, or one with only a header, gives no rows and is remembered in the state', async () => {
    const { batches } = await read({ 'a.csv': '', 'b.csv': 'code,nom\n' });
    assert.deepEqual(
      batches.map((b) => [b.label, b.kind, b.rows.length]),
      [['a.csv … b.csv (2 files)', 'records', 0]],
    );
    assert.deepEqual(Object.keys((batches[0]?.state as { files_without_rows: object }).files_without_rows), ['a.csv', 'b.csv']);
  });

  test('an unknown declared type is a configuration error', async () => {
    const source = fileSource({ stream: 's', location: landing({ 'a.csv': 'a\n1\n' }), csv: { columns: { a: 'NUMBERZ' } } });
    await assert.rejects(readAll(source, context(engine)), (e: unknown) => {
      assert.ok(isConnectorError(e, 'CONNECTOR_INVALID_CONFIG'));
      assert.match(e.message, /csv\.columns\.a: NUMBERZ is not a DuckDB type/);
      return true;
    });
  });

  test('rejects tables are dropped once each batch is consumed', async () => {
    const dir = landing({ 'a.csv': 'x,y\n1,2\n3\n', 'b.json': '[{"x":1}]', 'c.csv': 'x,y\n5,6\n' });
    const source = fileSource({ stream: 's', location: dir });
    const seen: string[][] = [];
    for await (const batch of source.read('s', undefined, context(engine))) {
      assert.equal(batch.data.kind, 'sql');
      if (batch.data.kind === 'sql') await engine.query(batch.data.sql);
      seen.push(await tempTables(engine));
    }
    assert.ok(seen.every((tables) => tables.length > 0), 'its tables exist while a batch is current');
    assert.deepEqual(await tempTables(engine), []);
  });
});
