import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { Engine } from '@strata/delta';
import { describeSourceContract } from '../sql-database/source-contract.ts';
import { readAll, testContext, throughDuckdb, typed } from '../sql-database/test-support.ts';
import { postgresTestDatabase as db } from './test-support.ts';

describeSourceContract(db);

describe('postgres source types', () => {
  let engine: Engine;
  before(async () => {
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  after(() => engine.close());

  it('reads every mapped type exactly, and DuckDB loads the batch with its declared types', async (t) => {
    const scope = await db.scope(t);
    const s = scope.name;
    await scope.sql(`CREATE TYPE ${s}.mood AS ENUM ('happy', 'sad')`);
    await scope.sql(`CREATE DOMAIN ${s}.positive AS integer CHECK (VALUE > 0)`);
    await scope.sql(`CREATE TABLE ${s}.types (
      id int PRIMARY KEY, b boolean, i2 smallint, i8 bigint, n numeric(38,10), nf numeric, r real, d double precision,
      t text, vc varchar(20), c char(3), dt date, tm time, ts timestamp, tstz timestamptz, u uuid, j json, jb jsonb,
      by bytea, ai int[], at text[], atz timestamptz[], iv interval, e ${s}.mood, ae ${s}.mood[], p ${s}.positive)`);
    await scope.sql(`INSERT INTO ${s}.types VALUES (
      1, true, -32768, 9223372036854775807, 1234567890123456789012345678.0123456789, 0.1, 1.5, 0.1,
      'héllo ✓ 😀 ''quoted''', 'x', 'ab', '2024-02-29', '23:59:59.999999', '2024-05-01 10:00:00.123456', '2024-05-01 12:00:00.123456+02',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50]}', '{"big": 12345678901234567890}',
      '\\x00ff', '{1,NULL,3}', '{"a b","c\\"d",NULL}', '{"2024-05-01 12:00:00+02"}', '1 day 02:00:00', 'sad', '{happy,sad}', 7)`);
    await scope.sql(`INSERT INTO ${s}.types (id) VALUES (2)`);
    const source = db.source({ connection: scope.connection, streams: [{ name: 'types', table: `${s}.types`, primary_key: ['id'] }] });
    const [batch] = await readAll(source, 'types', undefined, testContext(engine));
    const { columns, rows } = typed(batch);
    assert.deepEqual(Object.fromEntries(columns.map((c) => [c.name, c.type])), {
      id: 'INTEGER', b: 'BOOLEAN', i2: 'SMALLINT', i8: 'BIGINT', n: 'DECIMAL(38,10)', nf: 'VARCHAR', r: 'FLOAT', d: 'DOUBLE',
      t: 'VARCHAR', vc: 'VARCHAR', c: 'VARCHAR', dt: 'DATE', tm: 'TIME', ts: 'TIMESTAMP', tstz: 'TIMESTAMPTZ', u: 'UUID', j: 'VARCHAR', jb: 'VARCHAR',
      by: 'VARCHAR', ai: 'VARCHAR', at: 'VARCHAR', atz: 'VARCHAR', iv: 'VARCHAR', e: 'VARCHAR', ae: 'VARCHAR', p: 'INTEGER',
    });
    assert.deepEqual(rows[0], {
      id: 1, b: true, i2: -32768, i8: '9223372036854775807', n: '1234567890123456789012345678.0123456789', nf: '0.1', r: 1.5, d: 0.1,
      t: "héllo ✓ 😀 'quoted'", vc: 'x', c: 'ab ', dt: '2024-02-29', tm: '23:59:59.999999', ts: '2024-05-01T10:00:00.123456',
      tstz: '2024-05-01T10:00:00.123456Z', u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', j: '{"a": [1, 2.50]}', jb: '{"big": 12345678901234567890}',
      by: 'AP8=', ai: '[1,null,3]', at: '["a b","c\\"d",null]', atz: '["2024-05-01T10:00:00Z"]', iv: '1 day 02:00:00', e: 'sad', ae: '["happy","sad"]', p: 7,
    });
    assert.deepEqual(rows[1], Object.fromEntries(columns.map((c) => [c.name, c.name === 'id' ? 2 : null])));

    const [loaded, empty] = await throughDuckdb(engine, columns, rows);
    assert.deepEqual(
      { i8: loaded?.i8, n: loaded?.n, tstz: loaded?.tstz, ts: loaded?.ts, tm: loaded?.tm, u: loaded?.u, jb: loaded?.jb, b: loaded?.b, r: loaded?.r },
      {
        i8: '9223372036854775807', n: '1234567890123456789012345678.0123456789', tstz: '2024-05-01 10:00:00.123456+00', ts: '2024-05-01 10:00:00.123456',
        tm: '23:59:59.999999', u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', jb: '{"big": 12345678901234567890}', b: 'true', r: '1.5',
      },
    );
    assert.ok(Object.entries(empty ?? {}).every(([name, value]) => name === 'id' || value === null));
  });
});
