import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import type { FileSourceConfigInput } from './config.ts';
import { fileSource } from './source.ts';
import { context, landing, readAll, sortBy, tempTables, testEngine } from './test-support.ts';

const engine = await testEngine();

async function read(files: Record<string, string | Uint8Array>, config: Partial<FileSourceConfigInput> = {}) {
  return readAll(fileSource({ stream: 'items', location: landing(files), ...config }), context(engine));
}

describe('NDJSON files', () => {
  test('one record per line, types inferred, nested objects kept as structures', async () => {
    const [b] = await read({
      'events.ndjson': '{"id":1,"name":"a","tags":["x"],"geo":{"lat":45.5,"lon":4.8}}\n\n{"id":2,"name":"b","ok":true}\n',
    });
    assert.equal(b?.kind, 'sql');
    assert.deepEqual(b?.types, {
      id: 'BIGINT',
      name: 'VARCHAR',
      tags: 'VARCHAR[]',
      geo: 'STRUCT("lat" DOUBLE, "lon" DOUBLE)',
      ok: 'BOOLEAN',
    });
    assert.deepEqual(sortBy(b?.rows ?? [], 'id'), [
      { id: 1, name: 'a', tags: ['x'], geo: { lat: 45.5, lon: 4.8 }, ok: null },
      { id: 2, name: 'b', tags: null, geo: null, ok: true },
    ]);
    assert.deepEqual(b?.rejected, []);
  });

  test('unparsable lines are rejected with their text and path:line; the others are loaded', async () => {
    const [b] = await read({
      'd/e.jsonl': '{"id":1}\n"text"\nnot json\n{"id":2}\n{"id": 3,\n[1,2]\n{"id":4}\r\n',
    });
    assert.deepEqual(sortBy(b?.rows ?? [], 'id'), [{ id: 1 }, { id: 2 }, { id: 4 }]);
    assert.deepEqual(
      b?.rejected.map((r) => [r.raw, r.location]),
      [
        ['"text"', 'd/e.jsonl:2'],
        ['not json', 'd/e.jsonl:3'],
        ['{"id": 3,', 'd/e.jsonl:5'],
        ['[1,2]', 'd/e.jsonl:6'],
      ],
    );
    assert.match(b?.rejected[0]?.reason ?? '', /a string, not an object/);
    assert.match(b?.rejected[1]?.reason ?? '', /^not valid JSON: /);
    assert.match(b?.rejected[3]?.reason ?? '', /an array, not an object/);
  });

  test('a field seen with different types is kept as JSON text, never cast away', async () => {
    // JSON text: DuckDB's JSON type, which the engine reports by its storage type, VARCHAR.
    const [b] = await read({ 'm.ndjson': '{"id":1,"v":10}\n{"id":2,"v":"ten"}\n{"id":3,"v":{"n":10}}\n' });
    assert.equal(b?.types.v, 'VARCHAR');
    assert.deepEqual(
      sortBy(b?.rows ?? [], 'id').map((r) => r.v),
      ['10', '"ten"', '{"n":10}'],
    );
  });

  test('CRLF line ends: line numbers stay right', async () => {
    const [b] = await read({ 'w.ndjson': '{"id":1}\r\n{"id":2}\r\nbad\r\n{"id":3}\r\n' });
    assert.deepEqual(sortBy(b?.rows ?? [], 'id'), [{ id: 1 }, { id: 2 }, { id: 3 }]);
    assert.deepEqual(
      b?.rejected.map((r) => [r.raw, r.location]),
      [['bad', 'w.ndjson:3']],
    );
  });

  test('gzip-compressed NDJSON, and a .json file holding NDJSON', async () => {
    const batches = await read({ 'a.ndjson.gz': '{"id":1}\n{"id":2}\n', 'b.json': '{"id":3}\n{"id":4}\n' });
    assert.deepEqual(
      batches.map((b) => [b.label, sortBy(b.rows, 'id')]),
      [
        ['a.ndjson.gz', [{ id: 1 }, { id: 2 }]],
        ['b.json', [{ id: 3 }, { id: 4 }]],
      ],
    );
  });
});

describe('JSON files', () => {
  test('a top-level array of records', async () => {
    const [b] = await read({ 'parks.json': '[{"id":1,"name":"Parc A"},\n {"id":2,"name":"Parc B","open":true}]' });
    assert.deepEqual(sortBy(b?.rows ?? [], 'id'), [
      { id: 1, name: 'Parc A', open: null },
      { id: 2, name: 'Parc B', open: true },
    ]);
  });

  test('the array at records_path', async () => {
    const doc = JSON.stringify({ meta: { count: 2 }, data: { items: [{ id: 1 }, { id: 2, extra: 'x' }] } }, null, 2);
    const [b] = await read({ 'page.json': doc }, { json: { records_path: 'data.items' } });
    assert.deepEqual(sortBy(b?.rows ?? [], 'id'), [
      { id: 1, extra: null },
      { id: 2, extra: 'x' },
    ]);
    const [missing] = await read({ 'page.json': doc }, { json: { records_path: 'data.rows' } });
    assert.equal(missing?.rows.length, 0);
    assert.equal(missing?.rejected.length, 1);
    assert.match(missing?.rejected[0]?.reason ?? '', /no array at records_path data\.rows \(found nothing\)/);
  });

  test('a single object is one record; elements that are not objects are rejected', async () => {
    const [one] = await read({ 'o.json': '{"id":7,"name":"seul"}' });
    assert.deepEqual(one?.rows, [{ id: 7, name: 'seul' }]);
    const [mixed] = await read({ 'm.json': '[{"id":1}, 42, "text"]' });
    assert.deepEqual(mixed?.rows, [{ id: 1 }]);
    assert.deepEqual(
      (mixed?.rejected ?? []).map((r) => [r.raw, r.reason, r.location]).sort(),
      [
        ['"text"', 'a string, not an object: a record must be a JSON object', 'm.json'],
        ['42', 'a number, not an object: a record must be a JSON object', 'm.json'],
      ],
    );
  });

  test('a file that is not valid JSON is rejected whole, as one record, with no rows', async () => {
    const text = '[{"id":1},\n{"id":2,';
    const batches = await read({ 'broken.json': text, 'good.json': '[{"id":3}]' });
    assert.deepEqual(
      batches.map((b) => [b.label, b.rows.length, b.rejected.length]),
      [
        ['broken.json', 0, 1],
        ['good.json', 1, 0],
      ],
    );
    const [r] = batches[0]?.rejected ?? [];
    assert.equal(r?.raw, text);
    assert.equal(r?.location, 'broken.json');
    assert.match(r?.reason ?? '', /^the file is not valid JSON: /);
    assert.doesNotMatch(r?.reason ?? '', /strata-files-|\/tmp\//, 'the reason names the file as the user knows it');
    assert.deepEqual(await tempTables(engine), []);
  });

  test('the French communes list (@etalab/decoupage-administratif)', async () => {
    const file = createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/data/communes.json');
    const [b] = await readAll(
      fileSource({ stream: 'communes', location: dirname(file), glob: 'communes.json' }),
      context(engine),
    );
    assert.equal(b?.label, 'communes.json');
    assert.deepEqual(b?.rejected, []);
    for (const column of ['code', 'nom', 'codesPostaux', 'departement', 'region', 'population']) {
      assert.ok(column in (b?.types ?? {}), `column ${column}`);
    }
    assert.equal(b?.types.codesPostaux, 'VARCHAR[]');
    assert.equal(b?.types.population, 'BIGINT');
    assert.ok((b?.rows.length ?? 0) > 34_000, `${b?.rows.length} communes`);
    const paris = b?.rows.find((r) => r.code === '75056' && r.type === 'commune-actuelle');
    assert.equal(paris?.nom, 'Paris');
    assert.equal(paris?.departement, '75');
    assert.equal(paris?.region, '11');
    assert.ok((paris?.codesPostaux as string[]).includes('75001'));
    assert.ok(Number(paris?.population) > 2_000_000);
  });
});
