import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { normalizeType, typeChange, typeMatches } from './types.ts';

describe('normalizeType', () => {
  it('maps DuckDB aliases, in any case, to the name DuckDB reports', () => {
    const cases: [string, string][] = [
      ['int', 'INTEGER'], ['INT4', 'INTEGER'], ['Integer', 'INTEGER'],
      ['int8', 'BIGINT'], ['long', 'BIGINT'],
      ['text', 'VARCHAR'], ['STRING', 'VARCHAR'], ['varchar(20)', 'VARCHAR'],
      ['float8', 'DOUBLE'], ['double precision', 'DOUBLE'], ['real', 'FLOAT'], ['FLOAT4', 'FLOAT'],
      ['timestamptz', 'TIMESTAMP WITH TIME ZONE'], ['timestamp  with time zone', 'TIMESTAMP WITH TIME ZONE'],
      ['datetime', 'TIMESTAMP'], ['bool', 'BOOLEAN'],
      ['numeric(10, 2)', 'DECIMAL(10,2)'], ['DECIMAL(12)', 'DECIMAL(12,0)'], ['decimal', 'DECIMAL(18,3)'],
      ['int[]', 'INTEGER[]'], ['list(text)', 'VARCHAR[]'],
      ['struct(x int, "Y z" text)', 'STRUCT("x" INTEGER, "Y z" VARCHAR)'], ['map(text, bigint)', 'MAP(VARCHAR, BIGINT)'],
    ];
    for (const [input, expected] of cases) assert.equal(normalizeType(input), expected, input);
  });

  it('keeps lower-case logical types and rejects what is neither', () => {
    assert.equal(normalizeType('integer'), 'integer');
    assert.equal(normalizeType('timestamp'), 'timestamp');
    for (const bad of ['VARCHR', 'DECIMAL(40,2)', 'DECIMAL(5,6)', 'decimal(x)', 'struct()', '']) assert.equal(normalizeType(bad), undefined, bad);
  });
});

describe('typeMatches', () => {
  it('compares DuckDB types after normalisation', () => {
    assert.ok(typeMatches('INT4', 'INTEGER'));
    assert.ok(typeMatches('numeric(18, 2)', 'DECIMAL(18,2)'));
    assert.ok(!typeMatches('INTEGER', 'BIGINT'));
    assert.ok(!typeMatches('DECIMAL(18,2)', 'DECIMAL(18,3)'));
  });

  it('accepts any member of a logical type family', () => {
    assert.ok(typeMatches('integer', 'BIGINT'));
    assert.ok(typeMatches('integer', 'UTINYINT'));
    assert.ok(!typeMatches('integer', 'DOUBLE'));
    assert.ok(typeMatches('number', 'DECIMAL(10,2)'));
    assert.ok(typeMatches('number', 'DOUBLE'));
    assert.ok(typeMatches('string', 'VARCHAR'));
    assert.ok(!typeMatches('string', 'INTEGER'));
    assert.ok(typeMatches('timestamp', 'TIMESTAMP WITH TIME ZONE'));
    assert.ok(!typeMatches('timestamp', 'DATE'));
    assert.ok(typeMatches('array', 'INTEGER[]'));
    assert.ok(typeMatches('object', 'STRUCT("x" INTEGER)'));
  });
});

describe('typeChange', () => {
  it('treats the safe widenings as widening', () => {
    const widenings: [string, string][] = [
      ['INTEGER', 'BIGINT'], ['INT', 'INT8'], ['TINYINT', 'HUGEINT'], ['UINTEGER', 'BIGINT'], ['UTINYINT', 'USMALLINT'],
      ['FLOAT', 'DOUBLE'], ['REAL', 'FLOAT8'],
      ['DECIMAL(10,2)', 'DECIMAL(12,2)'], ['DECIMAL(10,2)', 'DECIMAL(12,4)'],
      ['INTEGER', 'DECIMAL(12,2)'], ['INTEGER', 'DOUBLE'], ['SMALLINT', 'FLOAT'],
      ['DATE', 'TIMESTAMP'], ['INTEGER[]', 'BIGINT[]'],
    ];
    for (const [from, to] of widenings) assert.equal(typeChange(from, to), 'widening', `${from} → ${to}`);
  });

  it('treats narrowings, lossy conversions and switches of kind as changes', () => {
    const changes: [string, string][] = [
      ['BIGINT', 'INTEGER'], ['DOUBLE', 'FLOAT'], ['BIGINT', 'DOUBLE'], ['INTEGER', 'UINTEGER'], ['UBIGINT', 'BIGINT'],
      ['DECIMAL(10,2)', 'DECIMAL(10,3)'], ['DECIMAL(10,2)', 'DECIMAL(11,1)'], ['INTEGER', 'DECIMAL(10,2)'],
      ['TIMESTAMP', 'DATE'], ['DATE', 'TIMESTAMPTZ'], ['INTEGER', 'VARCHAR'], ['VARCHAR', 'INTEGER'],
      ['integer', 'BIGINT'], ['BIGINT', 'integer'], ['integer', 'number'],
    ];
    for (const [from, to] of changes) assert.equal(typeChange(from, to), 'changed', `${from} → ${to}`);
  });

  it('sees aliases of one type as the same type', () => {
    assert.equal(typeChange('INT', 'INTEGER'), 'same');
    assert.equal(typeChange('numeric(10,2)', 'DECIMAL(10, 2)'), 'same');
    assert.equal(typeChange('string', 'string'), 'same');
  });
});
