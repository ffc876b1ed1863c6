import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatOf, jsonLayout } from './detect.ts';

describe('format detection', () => {
  test('by extension, .gz stripped; the configured format wins', () => {
    assert.equal(formatOf('a/b.csv', 'auto'), 'csv');
    assert.equal(formatOf('b.TSV.gz', 'auto'), 'csv');
    assert.equal(formatOf('c.jsonl.gz', 'auto'), 'ndjson');
    assert.equal(formatOf('d.ndjson', 'auto'), 'ndjson');
    assert.equal(formatOf('e.json', 'auto'), 'json');
    assert.equal(formatOf('f.parquet', 'auto'), 'parquet');
    assert.equal(formatOf('README.md', 'auto'), undefined);
    assert.equal(formatOf('noext', 'auto'), undefined);
    assert.equal(formatOf('README.md', 'csv'), 'csv');
  });

  test('a .json file is newline-delimited when its first line is a whole object followed by more', () => {
    assert.equal(jsonLayout('{"a":1}\n{"a":2}\n'), 'ndjson');
    assert.equal(jsonLayout('[{"a":1},\n{"a":2}]'), 'json');
    assert.equal(jsonLayout('{\n  "data": []\n}'), 'json');
    assert.equal(jsonLayout('{"a":1}\n'), 'json');
    assert.equal(jsonLayout('\uFEFF  {"a":1}\r\n{"a":2}'), 'ndjson');
  });
});
