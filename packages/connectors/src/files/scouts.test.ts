import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine } from '@strata/delta';
import { Scouts } from './scouts.ts';
import { testEngine } from './test-support.ts';

const engine = await testEngine();

describe('Scouts', () => {
  test('runs jobs in the order given, on at most `size` forked sessions at once', async () => {
    const scouts = new Scouts(engine, 2);
    const sessions = new Set<Engine>();
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const job = (n: number) =>
      scouts.run(async (scout) => {
        started.push(n);
        sessions.add(scout);
        most = Math.max(most, ++running);
        try {
          const [row] = await scout.query<{ n: number }>(`SELECT ${n} * 10 AS n`);
          return row?.n;
        } finally {
          running--;
        }
      });
    assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(job)), [10, 20, 30, 40, 50]);
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
    assert.equal(most, 2);
    assert.equal(sessions.size, 2);
    assert.ok(!sessions.has(engine), 'the jobs run on sessions of their own');
    await scouts.close();
  });

  test('a failing job fails alone', async () => {
    const scouts = new Scouts(engine, 1);
    const failed = scouts.run((scout) => scout.query('SELECT * FROM no_such_table'));
    const next = scouts.run(async (scout) => (await scout.query<{ n: number }>('SELECT 1 AS n'))[0]?.n);
    await assert.rejects(failed, /no_such_table/);
    assert.equal(await next, 1);
    await scouts.close();
  });
});
