import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { StrataProject } from '@strata/core';
import { writeProject } from '@strata/core/testing';

// Inside the repository, so that project modules can import apache-arrow.
const TMP = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'outputs-', under: TMP });

describe('compute outputs', () => {
  let engine: DuckDbEngine;
  let p: StrataProject;
  before(async () => {
    engine = await DuckDbEngine.create();
    const dir = project({
      'strata.yaml': 'name: shop\nmetadata: "memory:"\n',
      'domains/shop/bronze/orders.sql': `SELECT range AS id, CASE WHEN range % 2 = 0 THEN 'paid' ELSE 'open' END AS status, range * 10 AS amount FROM range(6)`,
      'domains/shop/silver/paid.ts': `
export default {
  key: 'silver.paid',
  deps: ['bronze.orders'],
  compute: (ctx) => ctx.relation('bronze.orders').filter("status = 'paid'").aggregate(['count(*) AS n', 'sum(amount) AS total'], ['status']),
};`,
      'domains/shop/silver/rates.ts': `
import { tableFromArrays } from 'apache-arrow';
export default {
  key: 'silver.rates',
  compute: () => tableFromArrays({ code: ['EUR', 'USD'], rate: Float64Array.from([1, 1.08]), big: BigInt64Array.from([9007199254740993n, 2n]) }),
};`,
    });
    p = await StrataProject.open(dir, { engine });
  });
  after(async () => {
    await p.close();
    await engine.close();
  });

  it('writes a relation built with ctx.relation', async () => {
    const outcome = await p.materialize({ select: '+silver.paid' });
    assert.equal(outcome.status, 'success');
    assert.deepEqual(await p.query('SELECT status, n, total FROM silver.paid'), [{ status: 'paid', n: 3, total: 60 }]);
  });

  it('writes an Arrow table with the types of its schema', async () => {
    const outcome = await p.materialize({ select: 'silver.rates' });
    assert.equal(outcome.status, 'success');
    const rows = await p.query('SELECT code, rate, CAST(big AS VARCHAR) AS big, typeof(big) AS t FROM silver.rates ORDER BY code');
    assert.deepEqual(rows, [
      { code: 'EUR', rate: 1, big: '9007199254740993', t: 'BIGINT' },
      { code: 'USD', rate: 1.08, big: '2', t: 'BIGINT' },
    ]);
  });
});
