import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetColumn } from '../sql-database/target.ts';
import { pgCompatible, pgTargetColumn } from './export-types.ts';

const target = (duckdbType: string) => pgTargetColumn('c', duckdbType) as TargetColumn;

describe('DuckDB → PostgreSQL types', () => {
  it('maps each type of the table', () => {
    const cases: [string, string][] = [
      ['BOOLEAN', 'boolean'],
      ['TINYINT', 'smallint'],
      ['UTINYINT', 'smallint'],
      ['SMALLINT', 'smallint'],
      ['USMALLINT', 'integer'],
      ['INTEGER', 'integer'],
      ['UINTEGER', 'bigint'],
      ['BIGINT', 'bigint'],
      ['UBIGINT', 'numeric(20,0)'],
      ['HUGEINT', 'numeric(39,0)'],
      ['DECIMAL(12,2)', 'numeric(12,2)'],
      ['DECIMAL(38,10)', 'numeric(38,10)'],
      ['FLOAT', 'real'],
      ['DOUBLE', 'double precision'],
      ['VARCHAR', 'text'],
      ["ENUM('a', 'b')", 'text'],
      ['DATE', 'date'],
      ['TIME', 'time without time zone'],
      ['TIMESTAMP', 'timestamp without time zone'],
      ['TIMESTAMP_NS', 'timestamp without time zone'],
      ['TIMESTAMP WITH TIME ZONE', 'timestamp with time zone'],
      ['INTERVAL', 'interval'],
      ['UUID', 'uuid'],
      ['JSON', 'jsonb'],
      ['BLOB', 'bytea'],
      ['INTEGER[]', 'jsonb'],
      ['STRUCT(a INTEGER, b VARCHAR)', 'jsonb'],
      ['MAP(VARCHAR, INTEGER)', 'jsonb'],
    ];
    for (const [duckdb, postgres] of cases) assert.equal(pgTargetColumn('c', duckdb)?.targetType, postgres, duckdb);
  });

  it('has no mapping for bit strings, unions and other types', () => {
    for (const type of ['BIT', 'UNION(a INTEGER, b VARCHAR)', 'VARINT', 'GEOMETRY']) assert.equal(pgTargetColumn('c', type), undefined, type);
  });

  it('renders values as text and converts them in the placeholder', () => {
    assert.equal(target('DECIMAL(12,2)').render('"c"'), 'CAST("c" AS VARCHAR)');
    assert.equal(target('DECIMAL(12,2)').placeholder(3), '$3::numeric(12,2)');
    assert.equal(target('INTEGER[]').render('"c"'), 'CAST(to_json("c") AS VARCHAR)');
    assert.equal(target('BLOB').render('"c"'), 'to_base64("c")');
    assert.equal(target('BLOB').placeholder(1), "decode($1, 'base64')");
  });

  it('lets an existing column of a wider type of the same family take the values', () => {
    const accepts: [string, string][] = [
      ['integer', 'INTEGER'],
      ['bigint', 'INTEGER'],
      ['numeric', 'BIGINT'],
      ['numeric(12,0)', 'INTEGER'],
      ['integer', 'DECIMAL(9,0)'],
      ['numeric(14,4)', 'DECIMAL(12,2)'],
      ['numeric', 'DECIMAL(12,2)'],
      ['double precision', 'FLOAT'],
      ['character varying(20)', 'VARCHAR'],
      ['character(3)', 'VARCHAR'],
      ['json', 'JSON'],
      ['timestamp(3) with time zone', 'TIMESTAMP WITH TIME ZONE'],
    ];
    for (const [existing, duckdb] of accepts) assert.ok(pgCompatible(existing, target(duckdb)), `${existing} ← ${duckdb}`);
    const refuses: [string, string][] = [
      ['integer', 'BIGINT'],
      ['smallint', 'INTEGER'],
      ['integer', 'DECIMAL(10,0)'],
      ['integer', 'DECIMAL(5,1)'],
      ['bigint', 'UBIGINT'],
      ['numeric(12,2)', 'DECIMAL(12,4)'],
      ['numeric(12,2)', 'DECIMAL(14,2)'],
      ['text', 'INTEGER'],
      ['integer', 'VARCHAR'],
      ['real', 'DOUBLE'],
      ['timestamp without time zone', 'TIMESTAMP WITH TIME ZONE'],
      ['date', 'TIMESTAMP'],
      ['jsonb', 'VARCHAR'],
    ];
    for (const [existing, duckdb] of refuses) assert.ok(!pgCompatible(existing, target(duckdb)), `${existing} ← ${duckdb}`);
  });
});
