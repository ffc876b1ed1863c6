import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { isCoreError } from '../errors.ts';
import { genericTestSql, parseTestEntry } from './generic-tests.ts';

const at = (target: string, column?: string, source = false) => ({ file: 'models/schema.yml', target, source, column });

describe('dbt generic tests', () => {
  it("names tests as dbt does (jaffle_shop's names)", () => {
    assert.equal(parseTestEntry('not_null', at('orders', 'order_id')).name, 'not_null_orders_order_id');
    assert.equal(parseTestEntry('unique', at('customers', 'customer_id')).name, 'unique_customers_customer_id');
    assert.equal(
      parseTestEntry({ accepted_values: { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] } }, at('orders', 'status')).name,
      'accepted_values_orders_status__placed__shipped__completed__return_pending__returned',
    );
    assert.equal(
      parseTestEntry({ relationships: { to: "ref('customers')", field: 'customer_id' } }, at('orders', 'customer_id')).name,
      'relationships_orders_customer_id__customer_id__ref_customers_',
    );
    assert.equal(parseTestEntry('unique', at('shop_raw_orders', 'id', true)).name, 'source_unique_shop_raw_orders_id');
    assert.equal(parseTestEntry({ accepted_values: { values: [1, 2], quote: false } }, at('t', 'n')).name, 'accepted_values_t_n__False__1__2');
  });

  it('reads arguments, configuration and custom names in every form dbt accepts', () => {
    const flat = parseTestEntry({ accepted_values: { values: ['a'], severity: 'warn', where: 'x > 1' } }, at('m', 'c'));
    assert.deepEqual([flat.args, flat.config], [{ values: ['a'] }, { severity: 'warn', where: 'x > 1' }]);
    const nested = parseTestEntry({ accepted_values: { arguments: { values: ['a'] }, config: { severity: 'warn' } } }, at('m', 'c'));
    assert.deepEqual([nested.args, nested.config, nested.name], [{ values: ['a'] }, { severity: 'warn' }, 'accepted_values_m_c__a']);
    assert.equal(parseTestEntry({ not_null: { name: 'customer_id_is_set' } }, at('m', 'customer_id')).name, 'customer_id_is_set');
    assert.equal(parseTestEntry({ test_name: 'unique', column_name: 'id' }, at('m')).column, 'id');
  });

  it('refuses unknown tests and incomplete arguments, naming the file', () => {
    const fails = (entry: Parameters<typeof parseTestEntry>[0], pattern: RegExp) =>
      assert.throws(() => parseTestEntry(entry, at('orders', 'id')), (e: unknown) => isCoreError(e, 'CORE_INVALID_DEFINITION') && pattern.test(e.message));
    fails('dbt_utils.at_least_one', /^models\/schema\.yml: test dbt_utils\.at_least_one on column id of orders is not supported/);
    fails({ accepted_values: {} }, /needs a values: list/);
    fails({ relationships: { to: "ref('x')" } }, /needs to: .* and field:/);
    assert.throws(() => parseTestEntry('unique', at('orders')), /needs a column/);
  });

  describe('SQL', () => {
    let engine: DuckDbEngine;
    before(async () => {
      engine = await DuckDbEngine.create();
      await engine.exec(
        "CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a', 10), (2, 'b', 10), (2, 'x', NULL), (NULL, 'a', 11)) v(id, status, parent); CREATE TABLE p AS SELECT * FROM (VALUES (10), (12)) v(pid)",
      );
    });
    after(() => engine.close());
    const failures = async (entry: Parameters<typeof parseTestEntry>[0], column: string, to?: string) => {
      const rows = await engine.query<{ n: number }>(`select count(*)::INTEGER as n from (${genericTestSql(parseTestEntry(entry, at('t', column)), 't', to)})`);
      return rows[0]?.n;
    };

    it('counts failing rows as dbt does', async () => {
      assert.equal(await failures('not_null', 'id'), 1);
      assert.equal(await failures('unique', 'id'), 1, 'one duplicated value; NULLs are not duplicates');
      assert.equal(await failures({ accepted_values: { values: ['a', 'b'] } }, 'status'), 1, 'one unexpected value');
      assert.equal(await failures({ accepted_values: { values: [10, 11], quote: false } }, 'parent'), 0, 'NULLs are accepted');
      assert.equal(await failures({ relationships: { to: 'p', field: 'pid' } }, 'parent', 'p'), 1, 'parent 11 is missing; NULL is not checked');
    });
  });
});
