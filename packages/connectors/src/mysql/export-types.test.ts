import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetColumn } from '../sql-database/target.ts';
import { mysqlCompatible, mysqlTargetColumn, normalizeMysqlType } from './export-types.ts';

const target = (duckdbType: string, key = false) => mysqlTargetColumn('c', duckdbType, key) as TargetColumn;

describe('DuckDB → MySQL types', () => {
  it('maps each type of the table', () => {
    const cases: [string, string][] = [
      ['BOOLEAN', 'tinyint(1)'],
      ['TINYINT', 'tinyint'],
      ['UTINYINT', 'tinyint unsigned'],
      ['SMALLINT', 'smallint'],
      ['INTEGER', 'int'],
      ['UINTEGER', 'int unsigned'],
      ['BIGINT', 'bigint'],
      ['UBIGINT', 'bigint unsigned'],
      ['HUGEINT', 'decimal(39,0)'],
      ['DECIMAL(12,2)', 'decimal(12,2)'],
      ['FLOAT', 'float'],
      ['DOUBLE', 'double'],
      ['VARCHAR', 'longtext'],
      ['UUID', 'char(36)'],
      ['DATE', 'date'],
      ['TIME', 'time(6)'],
      ['TIMESTAMP', 'datetime(6)'],
      ['TIMESTAMP WITH TIME ZONE', 'datetime(6)'],
      ['JSON', 'json'],
      ['BLOB', 'longblob'],
      ['VARCHAR[]', 'json'],
      ['STRUCT(a INTEGER)', 'json'],
      ['MAP(VARCHAR, INTEGER)', 'json'],
    ];
    for (const [duckdb, mysql] of cases) assert.equal(target(duckdb).targetType, mysql, duckdb);
  });

  it('gives key columns an indexable type', () => {
    assert.equal(target('VARCHAR', true).targetType, 'varchar(255)');
    assert.equal(target('BLOB', true).targetType, 'varbinary(255)');
    assert.equal(target('BIGINT', true).targetType, 'bigint');
  });

  it('has no mapping for intervals, times with time zone, bit strings and unions', () => {
    for (const type of ['INTERVAL', 'TIME WITH TIME ZONE', 'BIT', 'UNION(a INTEGER)']) assert.equal(mysqlTargetColumn('c', type, false), undefined, type);
  });

  it('renders booleans as 1/0 and timestamps in UTC without offset', () => {
    assert.equal(target('BOOLEAN').render('"c"'), 'CAST(CAST("c" AS TINYINT) AS VARCHAR)');
    assert.equal(target('TIMESTAMP WITH TIME ZONE').render('"c"'), `strftime(timezone('UTC', "c"), '%Y-%m-%d %H:%M:%S.%f')`);
    assert.equal(target('BLOB').placeholder(1), 'FROM_BASE64(?)');
    assert.equal(target('INTEGER').placeholder(1), '?');
  });

  it('ignores display widths but keeps tinyint(1)', () => {
    assert.equal(normalizeMysqlType('int(11)'), 'int');
    assert.equal(normalizeMysqlType('bigint(20) unsigned'), 'bigint unsigned');
    assert.equal(normalizeMysqlType('tinyint(1)'), 'tinyint(1)');
    assert.equal(normalizeMysqlType('DECIMAL(12,2)'), 'decimal(12,2)');
  });

  it('lets an existing column of a wider type of the same family take the values', () => {
    const accepts: [string, string][] = [
      ['int(11)', 'INTEGER'],
      ['bigint(20)', 'INTEGER'],
      ['bigint(20)', 'UINTEGER'],
      ['int(10) unsigned', 'USMALLINT'],
      ['decimal(20,0)', 'BIGINT'],
      ['decimal(14,4)', 'DECIMAL(12,2)'],
      ['double', 'FLOAT'],
      ['varchar(50)', 'VARCHAR'],
      ['text', 'VARCHAR'],
      ['longtext', 'JSON'],
      ['datetime', 'TIMESTAMP'],
      ['timestamp(6)', 'TIMESTAMP WITH TIME ZONE'],
      ['uuid', 'UUID'],
      ['blob', 'BLOB'],
    ];
    for (const [existing, duckdb] of accepts) assert.ok(mysqlCompatible(existing, target(duckdb)), `${existing} ← ${duckdb}`);
    const refuses: [string, string][] = [
      ['int(11)', 'BIGINT'],
      ['int(10) unsigned', 'INTEGER'],
      ['int(11)', 'UINTEGER'],
      ['bigint(20)', 'UBIGINT'],
      ['decimal(12,2)', 'DECIMAL(12,4)'],
      ['tinyint(1)', 'INTEGER'],
      ['int(11)', 'BOOLEAN'],
      ['longtext', 'INTEGER'],
      ['int(11)', 'VARCHAR'],
      ['float', 'DOUBLE'],
      ['date', 'TIMESTAMP'],
      ['varchar(50)', 'JSON'],
    ];
    for (const [existing, duckdb] of refuses) assert.ok(!mysqlCompatible(existing, target(duckdb)), `${existing} ← ${duckdb}`);
  });
});
