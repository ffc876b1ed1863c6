import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import { describeDestinationContract } from '../sql-database/destination-contract.ts';
import { readAll, testContext, typed } from '../sql-database/test-support.ts';
import { mysqlTestDatabase as db } from './test-support.ts';

describeDestinationContract(db);

/** One row of every exportable type, then a row of NULLs. */
const RELATION = `
  SELECT 1::INTEGER AS id, true AS b, 127::TINYINT AS ti, 65535::USMALLINT AS us, 9223372036854775807::BIGINT AS i8,
    18446744073709551615::UBIGINT AS ub, 170141183460469231731687303715884105727::HUGEINT AS h,
    1234567890123456789012345678.0123456789::DECIMAL(38,10) AS n, 1.5::FLOAT AS f, 0.1::DOUBLE AS d, 'héllo ✓ 😀 ''q''' AS t,
    DATE '2024-02-29' AS dt, TIME '23:59:59.999999' AS tm, TIMESTAMP '2024-05-01 10:00:00.123456' AS ts,
    TIMESTAMPTZ '2024-05-01 12:00:00.123456+02' AS tstz, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID AS u,
    '{"a":[1,2.5]}'::JSON AS j, '\\x00\\xFF'::BLOB AS bl, [1, NULL, 3] AS li, {'k': 'v', 'n': 1} AS st, MAP {'a': 1} AS m
  UNION ALL
  SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`;

describe('mysql export types', () => {
  let engine: Engine;
  before(async () => {
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  after(() => engine.close());

  it('creates columns of the mapped types and writes every value unchanged', async (t) => {
    const scope = await db.scope(t);
    const destination = db.destination({ connection: scope.connection });
    const result = await destination.export({ engine, sql: RELATION, signal: new AbortController().signal, log: () => undefined }, { table: `${scope.name}.types`, mode: 'replace' });
    assert.equal(result.rowsWritten, 2);
    const catalog = await scope.sql(`SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${scope.name}' AND TABLE_NAME = 'types' ORDER BY ORDINAL_POSITION`);
    // MariaDB writes display widths, and stores json as longtext with a JSON check.
    assert.deepEqual(Object.fromEntries(catalog.map((c) => [c.name, c.type])), {
      id: 'int(11)', b: 'tinyint(1)', ti: 'tinyint(4)', us: 'smallint(5) unsigned', i8: 'bigint(20)', ub: 'bigint(20) unsigned', h: 'decimal(39,0)',
      n: 'decimal(38,10)', f: 'float', d: 'double', t: 'longtext', dt: 'date', tm: 'time(6)', ts: 'datetime(6)', tstz: 'datetime(6)',
      u: 'char(36)', j: 'longtext', bl: 'longblob', li: 'longtext', st: 'longtext', m: 'longtext',
    });
    const source = db.source({ connection: scope.connection, streams: [{ name: 'types', table: `${scope.name}.types`, primary_key: ['id'] }] });
    const { rows } = typed((await readAll(source, 'types', undefined, testContext(engine)))[0]);
    assert.deepEqual(rows[0], {
      id: 1, b: true, ti: 127, us: 65535, i8: '9223372036854775807', ub: '18446744073709551615', h: '170141183460469231731687303715884105727',
      n: '1234567890123456789012345678.0123456789', f: 1.5, d: 0.1, t: "héllo ✓ 😀 'q'", dt: '2024-02-29', tm: '23:59:59.999999',
      ts: '2024-05-01T10:00:00.123456', tstz: '2024-05-01T10:00:00.123456', u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      j: '{"a":[1,2.5]}', bl: 'AP8=', li: '[1,null,3]', st: '{"k":"v","n":1}', m: '{"a":1}',
    });
    assert.deepEqual(rows[1], Object.fromEntries(Object.keys(rows[0] ?? {}).map((name) => [name, name === 'id' ? 2 : null])));
  });
});
