import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCoreError } from '../errors.ts';
import { configFromTree, mergeConfig } from './config.ts';
import { modelLayer, projectDomain } from './layers.ts';

describe('dbt configuration', () => {
  const tree = {
    '+tags': ['all'],
    shop: {
      materialized: 'table',
      staging: { '+materialized': 'view', '+tags': 'staging', stg_orders: { '+materialized': 'incremental', '+unique_key': 'order_id' } },
      marts: { '+meta': { owner: 'finance' }, finance: { '+meta': { pii: false } } },
    },
    other_package: { '+materialized': 'ephemeral' },
  };

  it('applies the blocks on the path of a node, deeper ones winning, with and without +', () => {
    assert.deepEqual(configFromTree(tree, ['shop', 'customers']), { tags: ['all'], materialized: 'table' });
    assert.deepEqual(configFromTree(tree, ['shop', 'staging', 'stg_customers']), { tags: ['all', 'staging'], materialized: 'view' });
    assert.deepEqual(configFromTree(tree, ['shop', 'staging', 'stg_orders']), { tags: ['all', 'staging'], materialized: 'incremental', unique_key: 'order_id' });
    assert.deepEqual(configFromTree(tree, ['shop', 'marts', 'finance', 'revenue']).meta, { owner: 'finance', pii: false });
    assert.deepEqual(configFromTree(undefined, ['shop', 'x']), {});
  });

  it('merges tags and meta, and replaces the rest', () => {
    assert.deepEqual(mergeConfig({ tags: ['a'], meta: { x: 1 }, materialized: 'view' }, { tags: 'b', meta: { y: 2 }, materialized: 'table' }), {
      tags: ['a', 'b'],
      meta: { x: 1, y: 2 },
      materialized: 'table',
    });
  });
});

describe('dbt layers', () => {
  it('puts staging and intermediate models in silver and the others in gold', () => {
    assert.equal(modelLayer('stg_orders', [], undefined, 'f'), 'silver');
    assert.equal(modelLayer('orders_cleaned', ['staging', 'shop'], undefined, 'f'), 'silver');
    assert.equal(modelLayer('int_orders_pivoted', [], undefined, 'f'), 'silver');
    assert.equal(modelLayer('customers', ['marts'], undefined, 'f'), 'gold');
    assert.equal(modelLayer('stg_orders', [], 'gold', 'f'), 'gold');
    assert.throws(() => modelLayer('x', [], 'platinum', 'models/x.sql'), (e: unknown) => isCoreError(e) && /models\/x\.sql: strata_layer/.test(e.message));
  });

  it('names the domain after the project', () => {
    assert.equal(projectDomain('jaffle_shop'), 'jaffle_shop');
    assert.equal(projectDomain('My-Shop'), 'my_shop');
    assert.equal(projectDomain('1shop'), '_1shop');
    assert.equal(projectDomain('gold'), 'gold_dbt');
  });
});
