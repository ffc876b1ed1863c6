import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import { describeSourceContract } from '../sql-database/source-contract.ts';
import { readAll, testContext, throughDuckdb, typed } from '../sql-database/test-support.ts';
import { mysqlTestDatabase as db } from './test-support.ts';

describeSourceContract(db);

describe('mysql source types', () => {
  let engine: Engine;
  before(async () => {
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  after(() => engine.close());

  it('reads every mapped type exactly, and DuckDB loads the batch with its declared types', async (t) => {
    const scope = await db.scope(t);
    const s = scope.name;
    await scope.sql(`CREATE TABLE ${s}.types (
      id int PRIMARY KEY, b tinyint(1), ti tinyint, tu tinyint unsigned, si smallint, mi mediumint, i int, iu int unsigned,
      bi bigint, bu bigint unsigned, de decimal(38,10), dw decimal(65,30), f float, d double, dt date, tm time(6), dtm datetime(6),
      ts timestamp(6) NULL, y year, c char(3), vc varchar(20), tx text, bl blob, vb varbinary(8), j json, e enum('a','b'),
      st set('x','y'), bt bit(1), b10 bit(10), u uuid) DEFAULT CHARSET = utf8mb4`);
    // Written at +02:00: TIMESTAMP stores UTC, which the source reads whatever the writer's zone.
    await scope.sql(`SET time_zone = '+02:00'`);
    await scope.sql(`INSERT INTO ${s}.types VALUES (
      1, 1, -128, 255, -32768, 8388607, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
      1234567890123456789012345678.0123456789, 1.5, 1.5, 0.1, '2024-02-29', '23:59:59.999999', '2024-05-01 10:00:00.123456',
      '2024-05-01 12:00:00.123456', 2024, 'ab', 'héllo ✓ 😀 ''q''', 'long text', 0x00ff, 0x0102, '{"big": 12345678901234567890}',
      'b', 'x,y', b'1', b'1000000001', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')`);
    await scope.sql(`INSERT INTO ${s}.types (id) VALUES (2)`);
    await scope.sql(`SET time_zone = '+00:00'`);
    const source = db.source({ connection: scope.connection, streams: [{ name: 'types', table: `${s}.types`, primary_key: ['id'] }] });
    const [batch] = await readAll(source, 'types', undefined, testContext(engine));
    const { columns, rows } = typed(batch);
    assert.deepEqual(Object.fromEntries(columns.map((c) => [c.name, c.type])), {
      id: 'INTEGER', b: 'BOOLEAN', ti: 'TINYINT', tu: 'UTINYINT', si: 'SMALLINT', mi: 'INTEGER', i: 'INTEGER', iu: 'UINTEGER',
      bi: 'BIGINT', bu: 'UBIGINT', de: 'DECIMAL(38,10)', dw: 'VARCHAR', f: 'FLOAT', d: 'DOUBLE', dt: 'DATE', tm: 'TIME', dtm: 'TIMESTAMP',
      ts: 'TIMESTAMPTZ', y: 'SMALLINT', c: 'VARCHAR', vc: 'VARCHAR', tx: 'VARCHAR', bl: 'VARCHAR', vb: 'VARCHAR', j: 'VARCHAR', e: 'VARCHAR',
      st: 'VARCHAR', bt: 'BOOLEAN', b10: 'UBIGINT', u: 'UUID',
    });
    assert.deepEqual(rows[0], {
      id: 1, b: true, ti: -128, tu: 255, si: -32768, mi: 8388607, i: -2147483648, iu: 4294967295,
      bi: '-9223372036854775808', bu: '18446744073709551615', de: '1234567890123456789012345678.0123456789',
      dw: '1.500000000000000000000000000000', f: 1.5, d: 0.1, dt: '2024-02-29', tm: '23:59:59.999999', dtm: '2024-05-01T10:00:00.123456',
      ts: '2024-05-01T10:00:00.123456Z', y: 2024, c: 'ab', vc: "héllo ✓ 😀 'q'", tx: 'long text', bl: 'AP8=', vb: 'AQI=',
      j: '{"big": 12345678901234567890}', e: 'b', st: 'x,y', bt: true, b10: 513, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    assert.deepEqual(rows[1], Object.fromEntries(columns.map((c) => [c.name, c.name === 'id' ? 2 : null])));

    const [loaded, empty] = await throughDuckdb(engine, columns, rows);
    assert.deepEqual(
      { bi: loaded?.bi, bu: loaded?.bu, de: loaded?.de, ts: loaded?.ts, dtm: loaded?.dtm, u: loaded?.u, b: loaded?.b, vc: loaded?.vc },
      {
        bi: '-9223372036854775808', bu: '18446744073709551615', de: '1234567890123456789012345678.0123456789', ts: '2024-05-01 10:00:00.123456+00',
        dtm: '2024-05-01 10:00:00.123456', u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', b: 'true', vc: "héllo ✓ 😀 'q'",
      },
    );
    assert.ok(Object.entries(empty ?? {}).every(([name, value]) => name === 'id' || value === null));
  });
});
