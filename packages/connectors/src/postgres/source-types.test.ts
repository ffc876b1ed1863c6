import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePgArray } from './array.ts';
import { missingTypes, numericType, PG_READ_TYPES, pgColumnRead } from './source-types.ts';
import type { PgTypeInfo } from './source-types.ts';

const none = new Map<number, PgTypeInfo>();
const read = (oid: number, text: string, typmod = -1) => {
  const column = pgColumnRead(oid, typmod, none);
  return [column.type, column.value(text)];
};
const numeric = (precision: number, scale: number) => ((precision << 16) | scale) + 4;

describe('PostgreSQL → DuckDB types', () => {
  it('maps each type of the table, converting its text form', () => {
    const cases: [number, string, string, unknown, number?][] = [
      [16, 't', 'BOOLEAN', true],
      [16, 'f', 'BOOLEAN', false],
      [21, '-32768', 'SMALLINT', -32768],
      [23, '2147483647', 'INTEGER', 2147483647],
      [20, '9007199254740991', 'BIGINT', 9007199254740991],
      [20, '9223372036854775807', 'BIGINT', '9223372036854775807'],
      [1700, '12345678901.23', 'DECIMAL(13,2)', '12345678901.23', numeric(13, 2)],
      [1700, '1e-30', 'VARCHAR', '1e-30'],
      [700, '1.1', 'FLOAT', 1.1],
      [701, '0.30000000000000004', 'DOUBLE', 0.30000000000000004],
      [701, 'NaN', 'DOUBLE', 'NaN'],
      [701, '-Infinity', 'DOUBLE', '-Infinity'],
      [25, 'héllo ✓', 'VARCHAR', 'héllo ✓'],
      [1043, 'x', 'VARCHAR', 'x'],
      [1042, 'ab  ', 'VARCHAR', 'ab  '],
      [1082, '2024-02-29', 'DATE', '2024-02-29'],
      [1083, '23:59:59.999999', 'TIME', '23:59:59.999999'],
      [1114, '2024-05-01 10:00:00.123456', 'TIMESTAMP', '2024-05-01T10:00:00.123456'],
      [1114, 'infinity', 'TIMESTAMP', 'infinity'],
      [1184, '2024-05-01 08:00:00.5+00', 'TIMESTAMPTZ', '2024-05-01T08:00:00.5Z'],
      [1184, '2024-05-01 08:00:00+05:30', 'TIMESTAMPTZ', '2024-05-01T08:00:00+05:30'],
      [1266, '10:00:00+02', 'TIMETZ', '10:00:00+02'],
      [2950, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'UUID', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
      [114, '{"a": [1, 2]}', 'VARCHAR', '{"a": [1, 2]}'],
      [3802, '{"big": 12345678901234567890}', 'VARCHAR', '{"big": 12345678901234567890}'],
      [17, '\\x00ff10', 'VARCHAR', 'AP8Q'],
      [26, '4294967295', 'UINTEGER', 4294967295],
    ];
    for (const [oid, text, type, value, typmod] of cases) {
      assert.deepEqual(read(oid, text, typmod), [type, value], `${PG_READ_TYPES.get(oid)?.name} ${text}`);
    }
  });

  it('reads numeric(p,s) as DECIMAL(p,s) up to 38 digits, else as exact text', () => {
    assert.equal(numericType(numeric(12, 2)), 'DECIMAL(12,2)');
    assert.equal(numericType(numeric(38, 0)), 'DECIMAL(38,0)');
    assert.equal(numericType(numeric(39, 2)), 'VARCHAR');
    assert.equal(numericType(-1), 'VARCHAR');
    // PostgreSQL 15 allows negative scales, written in 11 bits: numeric(5,-2).
    assert.equal(numericType(((5 << 16) | (0x800 - 2)) + 4), 'VARCHAR');
  });

  it('reads types it does not know as their text', () => {
    assert.deepEqual(read(1186, '1 year 2 mons'), ['VARCHAR', '1 year 2 mons']);
    assert.deepEqual(read(869, '192.168.0.1'), ['VARCHAR', '192.168.0.1']);
  });

  it('reads arrays as JSON text of their converted elements, through the catalog', () => {
    const catalog = new Map<number, PgTypeInfo>([
      [1007, { oid: 1007, typtype: 'b', typcategory: 'A', typelem: 23, typbasetype: 0, typdelim: ',' }],
      [1009, { oid: 1009, typtype: 'b', typcategory: 'A', typelem: 25, typbasetype: 0, typdelim: ',' }],
      [1185, { oid: 1185, typtype: 'b', typcategory: 'A', typelem: 1184, typbasetype: 0, typdelim: ',' }],
      [3807, { oid: 3807, typtype: 'b', typcategory: 'A', typelem: 3802, typbasetype: 0, typdelim: ',' }],
      [90001, { oid: 90001, typtype: 'd', typcategory: 'N', typelem: 0, typbasetype: 1007, typdelim: ',' }],
      [90002, { oid: 90002, typtype: 'e', typcategory: 'E', typelem: 0, typbasetype: 0, typdelim: ',' }],
      [90003, { oid: 90003, typtype: 'b', typcategory: 'A', typelem: 90002, typbasetype: 0, typdelim: ',' }],
    ]);
    const value = (oid: number, text: string) => {
      const column = pgColumnRead(oid, -1, catalog);
      assert.equal(column.type, 'VARCHAR');
      return column.value(text);
    };
    assert.equal(value(1007, '{{1,2},{NULL,4}}'), '[[1,2],[null,4]]');
    assert.equal(value(1009, '{"a b","c\\"d",NULL,"NULL",plain}'), '["a b","c\\"d",null,"NULL","plain"]');
    assert.equal(value(1185, '{"2024-05-01 08:00:00+00"}'), '["2024-05-01T08:00:00Z"]');
    assert.equal(value(3807, '{"{\\"a\\": 1}"}'), '[{"a":1}]');
    assert.equal(value(90001, '{5}'), '[5]', 'a domain over int[] is read as its base type');
    assert.equal(value(90003, '{happy,sad}'), '["happy","sad"]', 'an enum array');
    assert.deepEqual(missingTypes([23, 1007, 90001, 777], catalog), [777]);
    assert.deepEqual(missingTypes([90003], new Map([[90003, catalog.get(90003) as PgTypeInfo]])), [90002]);
  });
});

describe('parsePgArray', () => {
  it('parses nesting, quoting, escapes, NULL and lower bounds', () => {
    assert.deepEqual(parsePgArray('{}'), []);
    assert.deepEqual(parsePgArray('{1,2,NULL}'), ['1', '2', null]);
    assert.deepEqual(parsePgArray('{"",""}'), ['', '']);
    assert.deepEqual(parsePgArray('{"a,b","{x}","back\\\\slash"}'), ['a,b', '{x}', 'back\\slash']);
    assert.deepEqual(parsePgArray('{{a,b},{c,d}}'), [['a', 'b'], ['c', 'd']]);
    assert.deepEqual(parsePgArray('[0:1]={7,8}'), ['7', '8']);
    assert.deepEqual(parsePgArray('{(1,2);(3,4)}', ';'), ['(1,2)', '(3,4)']);
  });

  it('refuses malformed input', () => {
    for (const text of ['', '{', '{1,}', '{"a}', '{1}x', '1,2']) assert.throws(() => parsePgArray(text), /malformed array literal/, text);
  });
});
