import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkQuery } from './keyset.ts';
import type { KeysetDialect } from './keyset.ts';

const pg: KeysetDialect = { ident: (n) => `"${n}"`, placeholder: (i) => `$${i}`, rowComparison: true };
const my: KeysetDialect = { ident: (n) => `\`${n}\``, placeholder: (_i, column) => (column === 'id' ? 'CAST(? AS SIGNED)' : '?'), rowComparison: false };

describe('chunkQuery', () => {
  it('pages by a row comparison where the dialect indexes it', () => {
    const q = chunkQuery(pg, '"s"."t"', { bound: { kind: 'after', columns: ['u', 'id'], values: ['2024-01-01', '7'] }, notNull: ['u'], orderBy: ['u', 'id'], limit: 11 });
    assert.equal(q.sql, 'SELECT * FROM "s"."t" WHERE "u" IS NOT NULL AND ("u", "id") > ($1, $2) ORDER BY "u", "id" LIMIT 11');
    assert.deepEqual(q.params, ['2024-01-01', '7']);
  });

  it('expands the comparison otherwise, repeating parameters with each column’s placeholder', () => {
    const q = chunkQuery(my, '`t`', { bound: { kind: 'after', columns: ['u', 'k', 'id'], values: ['x', 'y', '3'] }, orderBy: ['u', 'k', 'id'], limit: 5 });
    assert.equal(
      q.sql,
      'SELECT * FROM `t` WHERE ((`u` > ?) OR (`u` = ? AND `k` > ?) OR (`u` = ? AND `k` = ? AND `id` > CAST(? AS SIGNED))) ORDER BY `u`, `k`, `id` LIMIT 5',
    );
    assert.deepEqual(q.params, ['x', 'x', 'y', 'x', 'y', '3']);
  });

  it('starts at a cursor value inclusively, and selects the ties of a value', () => {
    assert.deepEqual(chunkQuery(pg, 't', { bound: { kind: 'from', column: 'id', value: 10 }, orderBy: ['id'], limit: 3 }), {
      sql: 'SELECT * FROM t WHERE "id" >= $1 ORDER BY "id" LIMIT 3',
      params: [10],
    });
    assert.deepEqual(chunkQuery(my, 't', { equal: { column: 'id', value: '4' }, notNull: ['id'] }), {
      sql: 'SELECT * FROM t WHERE `id` IS NOT NULL AND `id` = CAST(? AS SIGNED)',
      params: ['4'],
    });
  });

  it('compares a single column directly', () => {
    assert.equal(chunkQuery(pg, 't', { bound: { kind: 'after', columns: ['id'], values: ['9'] } }).sql, 'SELECT * FROM t WHERE "id" > $1');
  });
});
