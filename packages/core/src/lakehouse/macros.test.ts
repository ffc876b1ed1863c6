import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { MemoryObjectStore } from '@strata/storage';
import { Lakehouse } from './lakehouse.ts';

describe('SQL helper macros', () => {
  let engine: DuckDbEngine;
  let lake: Lakehouse;
  before(async () => {
    engine = await DuckDbEngine.create();
    lake = new Lakehouse(new MemoryObjectStore(), engine);
  });
  after(async () => {
    await engine.close();
  });

  const one = async (sql: string) => {
    const session = await lake.session();
    try {
      await session.useDomain('parks');
      return (await session.engine.query<{ v: unknown }>(`SELECT ${sql} AS v`))[0]?.v;
    } finally {
      await session.close();
    }
  };

  it('cleans missing-value spellings and text case', async () => {
    for (const missing of ['', '  ', 'NA', 'n/a', 'NULL', 'null', '-', 'NaN']) assert.equal(await one(`clean_text('${missing}')`), null, missing);
    assert.equal(await one(`clean_text('  Annecy ')`), 'Annecy');
    assert.equal(await one(`title_case('JEAN-PIERRE  dupont')`), 'Jean-Pierre  Dupont');
    assert.equal(await one(`normalize_email(' Marie.Curie@Example.FR ')`), 'marie.curie@example.fr');
    assert.equal(await one(`normalize_email('not an email')`), null);
  });

  it('normalizes French phone numbers and postal codes', async () => {
    for (const p of ['06 12 34 56 78', '06.12.34.56.78', '+33 6 12 34 56 78', '0033612345678', '+33 (0)6 12 34 56 78', '33612345678']) {
      assert.equal(await one(`normalize_phone('${p}')`), '+33612345678', p);
    }
    assert.equal(await one(`normalize_phone('+44 20 7946 0958')`), '+442079460958');
    assert.equal(await one(`normalize_phone('12')`), null);
    assert.equal(await one(`normalize_postal_code('1000')`), '01000');
    assert.equal(await one(`normalize_postal_code('74 000')`), '74000');
    assert.equal(await one(`normalize_postal_code('7400A')`), null);
  });

  it('keeps the latest row of each key with is_latest', async () => {
    const session = await lake.session();
    try {
      await session.useDomain('parks');
      const rows = await session.engine.query(
        `SELECT id, v FROM (VALUES (1, 1, 'old'), (1, 2, 'new'), (2, 5, 'only'), (3, NULL, 'null order'), (3, 1, 'dated')) t(id, ts, v)
         QUALIFY is_latest(id, ts) ORDER BY id`,
      );
      assert.deepEqual(rows, [
        { id: 1, v: 'new' },
        { id: 2, v: 'only' },
        { id: 3, v: 'dated' },
      ]);
      const multi = await session.engine.query(`SELECT k1, k2 FROM (VALUES (1, 'a', 1), (1, 'a', 2), (1, 'b', 1)) t(k1, k2, ts) QUALIFY is_latest(row(k1, k2), ts)`);
      assert.equal(multi.length, 2);
    } finally {
      await session.close();
    }
  });
});
