import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { Relation } from './relation.ts';

describe('Relation', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
    await engine.exec(`CREATE TABLE parks AS SELECT * FROM (VALUES (1, 'Annecy'), (2, 'Vichy')) v(park_id, name);
      CREATE TABLE bookings AS SELECT * FROM (VALUES (10, 1, 50), (11, 1, 70), (12, 2, 30), (13, 3, 99)) v(id, park_id, amount)`);
  });
  after(async () => {
    await engine.close();
  });

  it('composes filter, join, aggregate, order and limit lazily', async () => {
    const bookings = Relation.of('bookings', engine);
    const parks = Relation.of('SELECT park_id, name FROM parks', engine);
    const revenue = bookings
      .filter('amount > 20')
      .join(parks, ['park_id'])
      .aggregate(['sum(amount) AS revenue'], ['name'])
      .order('revenue DESC');
    assert.deepEqual(await revenue.fetch(), [
      { name: 'Annecy', revenue: 120 },
      { name: 'Vichy', revenue: 30 },
    ]);
    assert.deepEqual(await revenue.limit(1).project('name').fetch(), [{ name: 'Annecy' }]);
  });

  it('anti-joins, unions by name and removes duplicates', async () => {
    const bookings = Relation.of('bookings', engine);
    const orphans = bookings.join(Relation.of('parks', engine), 'l.park_id = r.park_id', 'anti');
    assert.deepEqual(await orphans.project('id').fetch(), [{ id: 13 }]);
    const ids = bookings.project('park_id').union(Relation.of('parks', engine).project('park_id')).distinct().order('park_id');
    assert.deepEqual((await ids.fetch()).map((r) => r.park_id), [1, 2, 3]);
  });
});
