import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuckdbType } from './duckdb-types.ts';

describe('parseDuckdbType', () => {
  it('reduces DESCRIBE types to their base and numeric parameters', () => {
    assert.deepEqual(parseDuckdbType('DECIMAL(12,2)'), { base: 'DECIMAL', args: [12, 2] });
    assert.deepEqual(parseDuckdbType('TIMESTAMP WITH TIME ZONE'), { base: 'TIMESTAMP WITH TIME ZONE', args: [] });
    assert.deepEqual(parseDuckdbType('INTEGER[]'), { base: 'LIST', args: [] });
    assert.deepEqual(parseDuckdbType('STRUCT(a INTEGER, b DECIMAL(3,1))[2]'), { base: 'LIST', args: [] });
    assert.deepEqual(parseDuckdbType('STRUCT(a INTEGER, b DECIMAL(3,1))'), { base: 'STRUCT', args: [] });
    assert.deepEqual(parseDuckdbType('MAP(VARCHAR, INTEGER)'), { base: 'MAP', args: [] });
    assert.deepEqual(parseDuckdbType("ENUM('a', 'b')"), { base: 'ENUM', args: [] });
    assert.deepEqual(parseDuckdbType('varchar'), { base: 'VARCHAR', args: [] });
  });
});
