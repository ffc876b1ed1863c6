import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isConnectorError } from '../errors.ts';
import { parseFileSourceConfig } from './config.ts';
import { fileSource } from './source.ts';

describe('file source configuration', () => {
  test('defaults: every file, format by extension, CSV sniffed and kept as text', () => {
    const c = parseFileSourceConfig({ stream: 'communes', location: './landing' });
    assert.deepEqual(c.glob, ['**']);
    assert.equal(c.format, 'auto');
    assert.deepEqual(c.csv, { header: 'auto', delimiter: 'auto', encoding: 'auto', skip_rows: 0 });
    assert.deepEqual(c.json, {});
  });

  test('one glob or several', () => {
    assert.deepEqual(parseFileSourceConfig({ stream: 's', location: 'x', glob: '*.csv' }).glob, ['*.csv']);
    assert.deepEqual(parseFileSourceConfig({ stream: 's', location: 'x', glob: ['a/*.csv', 'b/*.csv'] }).glob, ['a/*.csv', 'b/*.csv']);
  });

  test('mistakes are CONNECTOR_INVALID_CONFIG naming each field', () => {
    const bad = {
      stream: '1bad',
      location: 'x',
      glob: '{a,b',
      format: 'xml',
      csv: { header: 'yes', encoding: 'utf-16', columns: { n: 'BIGINT; DROP TABLE x' }, delimeter: ';' },
    };
    assert.throws(
      () => fileSource(bad as never),
      (e: unknown) => {
        assert.ok(isConnectorError(e, 'CONNECTOR_INVALID_CONFIG'));
        for (const field of ['stream', 'glob', 'format', 'csv.header', 'csv.encoding', 'csv.columns.n', 'delimeter']) {
          assert.match(e.message, new RegExp(field.replace('.', '\\.')), `names ${field}: ${e.message}`);
        }
        return true;
      },
    );
  });

  test('records_path is a dot path', () => {
    assert.equal(parseFileSourceConfig({ stream: 's', location: 'x', json: { records_path: 'data.items' } }).json.records_path, 'data.items');
    assert.throws(() => parseFileSourceConfig({ stream: 's', location: 'x', json: { records_path: 'data..items' } }), /json\.records_path/);
  });
});
