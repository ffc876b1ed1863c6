import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import type { AssetContext } from '../definitions/asset.ts';
import { seedCompute } from './seeds.ts';

describe('dbt seeds', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(() => engine.close());

  async function load(csv: string, config: Record<string, unknown> = {}) {
    const path = join(mkdtempSync(join(tmpdir(), 'strata-seed-')), 'seed.csv');
    writeFileSync(path, csv);
    const ctx = { query: (sql: string) => engine.query(sql) } as unknown as AssetContext;
    const out = (await seedCompute(path, config, 'seeds/seed.csv')(ctx)) as { sql: string; metadata: { column_types: Record<string, string> } };
    const types = Object.fromEntries((await engine.query<{ column_name: string; column_type: string }>(`DESCRIBE ${out.sql}`)).map((r) => [r.column_name, r.column_type]));
    return { types, declared: out.metadata.column_types, rows: await engine.query(out.sql) };
  }

  it("infers column types like dbt's agate type tester", async () => {
    const { types, declared, rows } = await load(
      [
        'id,price,big,day,at,iso,flag,label,empty,mixed,padded',
        '1,1.50,3000000000,2024-01-31,2024-01-31 10:00:00,2024-01-31T10:00:00Z,true,a,,1,007',
        '2,2,1,2024-2-1,2024-02-01 00:00:01,2024-02-01T00:00,False,null,null,x,10',
        '-3,,2,,,,,NULL,,2024-01-01, 5',
      ].join('\n'),
    );
    assert.deepEqual(types, {
      id: 'INTEGER',
      price: 'DOUBLE',
      big: 'BIGINT',
      day: 'DATE',
      at: 'TIMESTAMP',
      iso: 'TIMESTAMP',
      flag: 'BOOLEAN',
      label: 'VARCHAR',
      empty: 'INTEGER',
      mixed: 'VARCHAR',
      padded: 'INTEGER',
    });
    assert.equal(declared.price, 'DOUBLE');
    assert.deepEqual(rows.map((r) => [r.id, r.price, r.flag, r.label, r.empty, r.padded]), [
      [1, 1.5, true, 'a', null, 7],
      [2, 2, false, null, null, 10],
      [-3, null, null, null, null, 5],
    ]);
    assert.equal(String(rows[1]?.day), String(new Date('2024-02-01T00:00:00Z')));
  });

  it('casts the columns column_types names and keeps leading zeros there', async () => {
    const { types, rows } = await load('zip,amount\n01234,10\n,20\n', { column_types: { zip: 'varchar', amount: 'decimal(10,2)' } });
    assert.deepEqual(types, { zip: 'VARCHAR', amount: 'DECIMAL(10,2)' });
    assert.deepEqual(rows.map((r) => r.zip), ['01234', null]);
  });

  it('reads another delimiter', async () => {
    const { types, rows } = await load('a;b\n1;x\n', { delimiter: ';' });
    assert.deepEqual([types, rows], [{ a: 'INTEGER', b: 'VARCHAR' }, [{ a: 1, b: 'x' }]]);
  });
});
