import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeltaTable, DuckDbEngine, isDeltaError } from '@strata/delta';
import { LocalObjectStore } from '@strata/storage';
import { NEGATIVE, goldenTables } from './golden.ts';

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const id = (s: string) => `"${s.replaceAll('"', '""')}"`;

describe('Delta conformance: golden tables written by the reference implementation', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  for (const g of goldenTables()) {
    const code = NEGATIVE[g.name];
    if (code) {
      it(`${g.name} fails with ${code}`, async () => {
        const table = await DeltaTable.open(new LocalObjectStore({ directory: g.table }), { engine });
        await assert.rejects(
          async () => table.read(),
          (e: unknown) => isDeltaError(e) && e.code === code,
        );
      });
      continue;
    }
    if (!g.expected) continue;
    it(`${g.name} reads back the expected rows`, async () => {
      const table = await DeltaTable.open(new LocalObjectStore({ directory: g.table }), { engine });
      const actual = await table.scanSql();
      const expected = `SELECT * FROM read_parquet(${q(`${g.expected}/*.parquet`)})`;
      const exp = await engine.describe(expected);
      const act = await engine.describe(actual);
      assert.deepEqual([...act.names].sort(), [...exp.names].sort(), 'column names');
      // Compare as multisets, casting our values to the expected file's types (e.g. INT96 timestamps).
      const cols = exp.names.map((n, i) => `CAST(${id(n)} AS ${exp.types[i]?.toString()}) AS ${id(n)}`).join(', ');
      const names = exp.names.map(id).join(', ');
      const [diff] = await engine.query<{ missing: number; extra: number; n: number }>(`
        WITH a AS (SELECT ${cols} FROM (${actual})), e AS (SELECT ${names} FROM (${expected}))
        SELECT (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a)) AS missing,
               (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e)) AS extra,
               (SELECT count(*) FROM e) AS n`);
      assert.equal(diff?.missing, 0, `rows expected but not read (of ${diff?.n})`);
      assert.equal(diff?.extra, 0, 'rows read but not expected');
    });
  }
});
