import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { MemoryObjectStore } from '@strata/storage';
import { Lakehouse } from './lakehouse.ts';

describe('lakehouse catalog', () => {
  it('lets concurrent sessions create the same domain, schema and views without conflicts', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const engine = await DuckDbEngine.create();
      try {
        const lakehouse = new Lakehouse(new MemoryObjectStore({ name: `catalog-${trial}` }), engine);
        const sessions = await Promise.all([1, 2, 3, 4, 5, 6].map(() => lakehouse.session()));
        await Promise.all(
          sessions.map(async (s, i) => {
            await s.useDomain('parks');
            await s.defineView(`parks.bronze.v${i}`, `SELECT ${i} AS x`);
          }),
        );
        const [row] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE database_name = 'parks'`);
        assert.equal(row?.n, 6);
        await Promise.all(sessions.map((s) => s.close()));
      } finally {
        await engine.close();
      }
    }
  });
});
