import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MYSQL_READ_TYPES, mysqlColumnRead, MysqlTypeCode } from './source-types.ts';
import type { MysqlField } from './source-types.ts';

const UNSIGNED = 32;
const BINARY = 63;
const UTF8MB4 = 224;
/** Metadata as MariaDB sends it for each kind of column. */
const field = (columnType: number, more: Partial<MysqlField> = {}): MysqlField => ({ columnType, flags: 0, characterSet: BINARY, columnLength: 11, decimals: 0, ...more });

describe('MySQL → DuckDB types', () => {
  it('maps each type of the table, converting its bytes', () => {
    const cases: [string, MysqlField, string | Buffer, string, unknown][] = [
      ['tinyint(1)', field(MysqlTypeCode.TINY, { columnLength: 1 }), '1', 'BOOLEAN', true],
      ['tinyint(1) zero', field(MysqlTypeCode.TINY, { columnLength: 1 }), '0', 'BOOLEAN', false],
      ['tinyint', field(MysqlTypeCode.TINY, { columnLength: 4 }), '-5', 'TINYINT', -5],
      ['tinyint unsigned', field(MysqlTypeCode.TINY, { columnLength: 3, flags: UNSIGNED }), '255', 'UTINYINT', 255],
      ['smallint', field(MysqlTypeCode.SHORT), '-32768', 'SMALLINT', -32768],
      ['mediumint', field(MysqlTypeCode.INT24), '8388607', 'INTEGER', 8388607],
      ['int unsigned', field(MysqlTypeCode.LONG, { flags: UNSIGNED }), '4294967295', 'UINTEGER', 4294967295],
      ['bigint', field(MysqlTypeCode.LONGLONG), '-9223372036854775808', 'BIGINT', '-9223372036854775808'],
      ['bigint small', field(MysqlTypeCode.LONGLONG), '42', 'BIGINT', 42],
      ['bigint unsigned', field(MysqlTypeCode.LONGLONG, { flags: UNSIGNED }), '18446744073709551615', 'UBIGINT', '18446744073709551615'],
      ['decimal(12,2)', field(MysqlTypeCode.NEWDECIMAL, { columnLength: 14, decimals: 2 }), '-1234567890.12', 'DECIMAL(12,2)', '-1234567890.12'],
      ['decimal(12,0)', field(MysqlTypeCode.NEWDECIMAL, { columnLength: 13 }), '7', 'DECIMAL(12,0)', '7'],
      ['decimal(12,2) unsigned', field(MysqlTypeCode.NEWDECIMAL, { columnLength: 13, decimals: 2, flags: UNSIGNED }), '1.50', 'DECIMAL(12,2)', '1.50'],
      ['decimal(65,30)', field(MysqlTypeCode.NEWDECIMAL, { columnLength: 67, decimals: 30 }), '1.5', 'VARCHAR', '1.5'],
      ['float', field(MysqlTypeCode.FLOAT, { decimals: 31 }), '1.1', 'FLOAT', 1.1],
      ['double', field(MysqlTypeCode.DOUBLE, { decimals: 31 }), '0.1', 'DOUBLE', 0.1],
      ['date', field(MysqlTypeCode.DATE), '2024-02-29', 'DATE', '2024-02-29'],
      ['zero date', field(MysqlTypeCode.DATE), '0000-00-00', 'DATE', null],
      ['datetime(6)', field(MysqlTypeCode.DATETIME, { decimals: 6 }), '2024-05-01 10:00:00.123456', 'TIMESTAMP', '2024-05-01T10:00:00.123456'],
      ['timestamp(3)', field(MysqlTypeCode.TIMESTAMP, { decimals: 3 }), '2024-05-01 10:00:00.123', 'TIMESTAMPTZ', '2024-05-01T10:00:00.123Z'],
      ['time', field(MysqlTypeCode.TIME), '23:59:59', 'TIME', '23:59:59'],
      ['year', field(MysqlTypeCode.YEAR), '2024', 'SMALLINT', 2024],
      ['bit(1)', field(MysqlTypeCode.BIT, { columnLength: 1 }), Buffer.from([1]), 'BOOLEAN', true],
      ['bit(10)', field(MysqlTypeCode.BIT, { columnLength: 10 }), Buffer.from([2, 1]), 'UBIGINT', 513],
      ['varchar', field(MysqlTypeCode.VAR_STRING, { characterSet: UTF8MB4 }), 'héllo ✓', 'VARCHAR', 'héllo ✓'],
      ['text', field(MysqlTypeCode.BLOB, { characterSet: UTF8MB4 }), 'long', 'VARCHAR', 'long'],
      ['varbinary', field(MysqlTypeCode.VAR_STRING), Buffer.from([0, 255]), 'VARCHAR', 'AP8='],
      ['blob', field(MysqlTypeCode.BLOB), Buffer.from('ab'), 'VARCHAR', 'YWI='],
      ['json (MySQL)', field(MysqlTypeCode.JSON), '{"a": 12345678901234567890}', 'VARCHAR', '{"a": 12345678901234567890}'],
      ['json (MariaDB)', field(MysqlTypeCode.BLOB, { characterSet: UTF8MB4 }), '{"a":1}', 'VARCHAR', '{"a":1}'],
      ['uuid (MariaDB)', field(MysqlTypeCode.STRING, { characterSet: UTF8MB4, extendedTypeName: 'uuid' }), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'UUID', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
      ['enum', field(MysqlTypeCode.STRING, { characterSet: UTF8MB4 }), 'x', 'VARCHAR', 'x'],
      ['geometry', field(MysqlTypeCode.GEOMETRY), Buffer.from([1, 2]), 'VARCHAR', 'AQI='],
    ];
    for (const [name, f, raw, type, value] of cases) {
      const column = mysqlColumnRead(f);
      assert.deepEqual([column.type, column.value(Buffer.isBuffer(raw) ? raw : Buffer.from(raw))], [type, value], name);
    }
  });

  it('reads a type it does not know as its text', () => {
    assert.equal(MYSQL_READ_TYPES.has(242), false);
    const column = mysqlColumnRead(field(242, { characterSet: UTF8MB4 }));
    assert.deepEqual([column.type, column.value(Buffer.from('v'))], ['VARCHAR', 'v']);
  });

  it('casts keyset parameters to the column’s type, and keeps binary positions as base64', () => {
    assert.equal(mysqlColumnRead(field(MysqlTypeCode.LONGLONG)).placeholder, 'CAST(? AS SIGNED)');
    assert.equal(mysqlColumnRead(field(MysqlTypeCode.LONGLONG, { flags: UNSIGNED })).placeholder, 'CAST(? AS UNSIGNED)');
    assert.equal(mysqlColumnRead(field(MysqlTypeCode.NEWDECIMAL, { columnLength: 14, decimals: 2 })).placeholder, 'CAST(? AS DECIMAL(12,2))');
    assert.equal(mysqlColumnRead(field(MysqlTypeCode.DATETIME)).placeholder, '?');
    assert.equal(mysqlColumnRead(field(MysqlTypeCode.VAR_STRING, { characterSet: UTF8MB4 })).placeholder, '?');
    const binary = mysqlColumnRead(field(MysqlTypeCode.STRING));
    assert.equal(binary.placeholder, 'FROM_BASE64(?)');
    assert.equal(binary.text(Buffer.from([0, 1])), 'AAE=');
  });
});
