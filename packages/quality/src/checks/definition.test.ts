import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckLike } from '../contracts/index.ts';
import { isQualityError } from '../errors.ts';
import { normalizeType } from './column-types.ts';
import { CheckSchema } from './definition.ts';
import type { CheckDefinition } from './definition.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { checkName, checksFromYaml, resolveChecks } from './resolve.ts';

const invalid = (input: unknown, pattern: RegExp) =>
  assert.throws(() => resolveChecks(input, 'parks.silver.bookings'), (e: unknown) => isQualityError(e, 'QUALITY_INVALID_DEFINITION') && pattern.test(e.message));

describe('check definitions', () => {
  it('names checks as dbt names its tests', () => {
    assert.deepEqual(
      [
        checkName({ type: 'not_null', column: 'id' }),
        checkName({ type: 'not_null', columns: ['a', 'b'] }),
        checkName({ type: 'unique', columns: ['park id', 'day'] }),
        checkName({ type: 'accepted_values', column: 'status', values: ['a'] }),
        checkName({ type: 'range', column: 'amount', min: 0 }),
        checkName({ type: 'regex', column: 'email', pattern: '.+' }),
        checkName({ type: 'relationships', column: 'customer_id', to: "ref('customers')", field: 'id' }),
        checkName({ type: 'row_count', min: 1 }),
        checkName({ type: 'freshness', max_age: '1d' }),
        checkName({ type: 'freshness', column: 'loaded_at', max_age: '1d' }),
        checkName({ type: 'schema', columns: { id: 'int' } }),
        checkName({ type: 'expression', expression: 'amount >= discount' }),
        checkName({ type: 'custom_sql', sql: 'select * from {{ relation }} where x' }),
        checkName({ type: 'range', column: 'amount', min: 0, name: 'positive_amount' }),
      ],
      [
        'not_null_id',
        'not_null_a_b',
        'unique_park_id_day',
        'accepted_values_status',
        'range_amount',
        'regex_email',
        'relationships_customer_id__id__ref_customers',
        'row_count',
        'freshness',
        'freshness_loaded_at',
        'schema',
        'expression_amount_discount',
        'custom_sql_select_from_relation_where_x',
        'positive_amount',
      ],
    );
  });

  it('settles defaults: severity error fails and blocks, severity warn warns, drop never blocks', () => {
    const [a, b, c, d, e] = resolveChecks([
      { type: 'not_null', column: 'id' },
      { type: 'not_null', column: 'x', severity: 'warn' },
      { type: 'not_null', column: 'y', action: 'drop' },
      { type: 'row_count', min: 1, severity: 'warn', blocking: false },
      { type: 'row_count', min: 1, blocking: false, name: 'rows_soft' },
    ]);
    assert.deepEqual(
      [a, b, c, d, e].map((x) => [x?.severity, x?.action, x?.blocking]),
      [['error', 'fail', true], ['warn', 'warn', false], ['error', 'drop', false], ['warn', 'warn', false], ['error', 'fail', false]],
    );
    assert.deepEqual(resolveChecks(resolveChecks([{ type: 'range', column: 'a', min: 0 }])), resolveChecks([{ type: 'range', column: 'a', min: 0 }]));
  });

  it('refuses invalid definitions, naming the check and what is wrong', () => {
    invalid([{ type: 'range', column: 'amount' }], /^parks\.silver\.bookings: check 1 \(range on amount\): min: range needs min, max or both$/);
    invalid([{ type: 'not_null', column: 'id' }, { type: 'row_count', min: 1, action: 'drop' }], /check 2 \(row_count\): action: action drop applies only to row-level checks/);
    invalid([{ type: 'freshness', max_age: 'soon', name: 'fresh' }], /check 1 \(fresh\): max_age: max_age is a duration such as 36h/);
    invalid([{ type: 'range', column: 'a', min: 5, max: 1 }], /max: min must not be greater than max/);
    invalid([{ type: 'range', column: 'a', min: 0, max: '2024-01-01' }], /same kind/);
    invalid([{ type: 'range', column: 'a', min: 'yesterday' }], /a bound is a number, a date/);
    invalid([{ type: 'not_null', column: 'a', columns: ['b'] }], /give either column or columns/);
    invalid([{ type: 'accepted_values', column: 'a', values: [] }], /at least one value/);
    invalid([{ type: 'regex', column: 'a', pattern: 'x', colour: 'red' }], /Unrecognized key.*\(colour\)/);
    invalid([{ type: 'row_count' }], /row_count needs min, max or max_change_pct/);
    invalid([{ type: 'row_count', min: 1, action: 'warn', blocking: true }], /check 1 \(row_count\): blocking applies to checks whose action is fail/);
    invalid([{ type: 'sometimes_null', column: 'a' }], /check 1 \(sometimes_null on a\): type: Invalid discriminator value/);
    invalid([{ type: 'custom', name: 'c', run: 'not a function' }], /run must be a function/);
    invalid([{ type: 'not_null', column: 'id' }, { type: 'not_null', column: 'id', severity: 'warn' }], /check names must be unique per asset: not_null_id \(2 checks\)/);
    assert.equal(CheckSchema.safeParse({ type: 'schema', columns: {} }).success, false);
  });

  it('reads checks from YAML, as data stewards write them', () => {
    const checks = checksFromYaml(
      `checks:
  - type: not_null
    columns: [booking_id, park_id]
  - type: range
    column: visitors
    min: 0
    max: 100000
    severity: warn
  - type: freshness
    column: booked_at
    max_age: PT6H
`,
      'parks/silver/bookings.checks.yml',
    );
    assert.deepEqual(checks.map((c) => [c.name, c.action]), [['not_null_booking_id_park_id', 'fail'], ['range_visitors', 'warn'], ['freshness_booked_at', 'fail']]);
    assert.throws(() => checksFromYaml('- type: [', 'x.yml'), (e: unknown) => isQualityError(e, 'QUALITY_INVALID_DEFINITION') && /^x\.yml:1: not valid YAML/.test(e.message));
  });

  it('accepts the checks a data contract derives (read-only lists, names with a colon)', () => {
    const fromContract: readonly CheckLike[] = [
      { type: 'schema', columns: { email: 'VARCHAR' }, allow_extra: true, name: 'contract:schema', severity: 'error', action: 'fail' },
      { type: 'unique', columns: ['email'], name: 'contract:unique_email', severity: 'error', action: 'fail' },
      { type: 'range', column: 'revenue', min: 0, name: 'contract:range_revenue', severity: 'warn', action: 'warn' },
    ];
    const definitions: readonly CheckDefinition[] = fromContract;
    assert.deepEqual(
      resolveChecks(definitions).map((c) => [c.name, c.action, c.blocking]),
      [['contract:schema', 'fail', true], ['contract:unique_email', 'fail', true], ['contract:range_revenue', 'warn', false]],
    );
  });

  it('parses durations and types', () => {
    assert.deepEqual(['36h', '2d', '1h30m', '90s', '1w', 'PT6H', 'P1DT12H', 'p2w'].map(parseDuration), [
      129_600_000, 172_800_000, 5_400_000, 90_000, 604_800_000, 21_600_000, 129_600_000, 1_209_600_000,
    ]);
    assert.deepEqual(['', 'P', 'PT', '0h', 'soon', '5'].map(parseDuration), [undefined, undefined, undefined, undefined, undefined, undefined]);
    assert.deepEqual([formatDuration(93_600_000), formatDuration(2_700_000), formatDuration(500), formatDuration(86_400_000 + 60_000)], ['1 day 2 hours', '45 minutes', 'less than a second', '1 day']);
    assert.deepEqual(
      ['int', 'INT8', 'text', 'string', 'float8', 'timestamptz', 'timestamp with time zone', 'numeric(10, 2)', 'Decimal', 'varchar(20)', 'int[]'].map(normalizeType),
      ['INTEGER', 'BIGINT', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH TIME ZONE', 'DECIMAL(10,2)', 'DECIMAL(18,3)', 'VARCHAR', 'INTEGER[]'],
    );
  });
});
