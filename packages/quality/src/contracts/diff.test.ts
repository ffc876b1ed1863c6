import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ContractDiff } from './change.ts';
import { ContractSchema } from './contract-schema.ts';
import type { Contract, ContractInput } from './contract-schema.ts';
import { diffContracts } from './diff.ts';

type ColumnInput = ContractInput['schema'][number];

const COLUMNS: ColumnInput[] = [
  { name: 'park_id', type: 'VARCHAR', primaryKey: true },
  { name: 'month', type: 'DATE', primaryKey: true },
  { name: 'revenue', type: 'DECIMAL(18,2)', required: true, quality: [{ type: 'range', min: 0, max: 1_000_000 }] },
  { name: 'visits', type: 'INTEGER' },
  { name: 'status', type: 'VARCHAR', quality: [{ type: 'accepted_values', values: ['open', 'closed'] }] },
  { name: 'email', type: 'VARCHAR', classification: 'internal', quality: [{ type: 'regex', pattern: '^.+@.+$' }] },
  { name: 'computed_at', type: 'TIMESTAMP' },
];

const BASE: ContractInput = {
  kind: 'DataContract',
  id: 'parks.gold.revenue_by_park',
  version: '1.0.0',
  owner: 'finance-data@example.com',
  schema: COLUMNS,
  quality: [{ type: 'row_count', min: 1 }, { type: 'expression', expression: 'visits >= 0' }],
  sla: { freshness: '36h', freshness_column: 'computed_at' },
};

function contract(patch: Partial<ContractInput> = {}): Contract {
  return ContractSchema.parse({ ...BASE, ...patch });
}

/** The base contract with one column replaced (undefined: removed), published as a new major version. */
function withColumn(name: string, column: Partial<ColumnInput> | undefined, patch: Partial<ContractInput> = {}): Contract {
  const schema = COLUMNS.flatMap((c) => (c.name !== name ? [c] : column === undefined ? [] : [{ ...c, ...column }]));
  return contract({ version: '2.0.0', schema, ...patch });
}

/** `kind rule column` for each change, in the diff's order. */
function found(diff: ContractDiff): string[] {
  return diff.changes.map((c) => `${c.kind} ${c.rule}${c.column === undefined ? '' : ` ${c.column}`}`);
}

function only(diff: ContractDiff, expected: string, affects?: string): string {
  assert.deepEqual(found(diff), [expected]);
  const change = diff.changes[0];
  assert.equal(change?.affects, affects);
  assert.equal(diff.breaking, expected.startsWith('breaking'));
  return change?.message ?? '';
}

describe('diffContracts: columns', () => {
  it('finds nothing between equal contracts', () => {
    const diff = diffContracts(contract(), contract());
    assert.deepEqual(diff, { contract: 'parks.gold.revenue_by_park', compared: 'versions', from: '1.0.0', to: '1.0.0', breaking: false, changes: [] });
  });

  it('a removed column breaks consumers', () => {
    const message = only(diffContracts(contract(), withColumn('visits', undefined)), 'breaking column_removed visits', 'consumers');
    assert.equal(message, 'column visits was removed');
  });

  it('an added optional column is not breaking; an added required or key column breaks producers', () => {
    const add = (column: ColumnInput) => diffContracts(contract(), contract({ version: '2.0.0', schema: [...COLUMNS, column] }));
    assert.equal(only(add({ name: 'region', type: 'VARCHAR' }), 'non_breaking column_added region'), 'optional column region was added');
    assert.equal(
      only(add({ name: 'region', type: 'VARCHAR', required: true }), 'breaking column_added region', 'producers'),
      'required column region was added: every write must now supply it',
    );
    only(add({ name: 'region', type: 'VARCHAR', primaryKey: true }), 'breaking column_added region', 'producers');
  });

  it('a safe widening of a type is not breaking', () => {
    for (const [from, to] of [['INTEGER', 'BIGINT'], ['FLOAT', 'DOUBLE'], ['DECIMAL(18,2)', 'DECIMAL(20,4)'], ['DATE', 'TIMESTAMP']] as const) {
      const before = withColumn('visits', { type: from }, { version: '1.0.0' });
      const message = only(diffContracts(before, withColumn('visits', { type: to })), 'non_breaking type_widened visits');
      assert.equal(message, `column visits widened from ${from} to ${to}`);
    }
  });

  it('any other type change breaks producers and consumers', () => {
    for (const [from, to] of [['INTEGER', 'VARCHAR'], ['BIGINT', 'INTEGER'], ['DECIMAL(18,2)', 'DECIMAL(18,4)'], ['DOUBLE', 'DECIMAL(38,10)'], ['integer', 'BIGINT']] as const) {
      const before = withColumn('visits', { type: from }, { version: '1.0.0' });
      only(diffContracts(before, withColumn('visits', { type: to })), 'breaking type_changed visits', 'both');
    }
    assert.deepEqual(found(diffContracts(contract(), withColumn('visits', { type: 'int4' }))), []);
  });

  it('a column that becomes required breaks producers, whether by flag or by not_null rule', () => {
    only(diffContracts(contract(), withColumn('visits', { required: true })), 'breaking became_required visits', 'producers');
    only(diffContracts(contract(), withColumn('visits', { quality: [{ type: 'not_null' }] })), 'breaking became_required visits', 'producers');
    only(
      diffContracts(contract(), contract({ version: '2.0.0', quality: [...(BASE.quality ?? []), { type: 'not_null', column: 'visits' }] })),
      'breaking became_required visits',
      'producers',
    );
  });

  it('a required column that becomes optional breaks consumers, who may now receive nulls', () => {
    const message = only(diffContracts(contract(), withColumn('revenue', { required: false })), 'breaking became_optional revenue', 'consumers');
    assert.equal(message, 'column revenue is no longer required: consumers may now receive null values');
  });

  it('a column that becomes unique breaks producers; one that stops being unique breaks consumers', () => {
    only(diffContracts(contract(), withColumn('email', { unique: true })), 'breaking became_unique email', 'producers');
    only(diffContracts(withColumn('email', { unique: true }, { version: '1.0.0' }), withColumn('email', {})), 'breaking no_longer_unique email', 'consumers');
    only(
      diffContracts(contract(), contract({ version: '2.0.0', quality: [...(BASE.quality ?? []), { type: 'unique', columns: ['email'] }] })),
      'breaking became_unique email',
      'producers',
    );
  });

  it('joining the primary key breaks producers; leaving it breaks consumers, without a separate required finding', () => {
    only(diffContracts(contract(), withColumn('visits', { primaryKey: true })), 'breaking became_primary_key visits', 'producers');
    const message = only(diffContracts(contract(), withColumn('month', { primaryKey: false })), 'breaking no_longer_primary_key month', 'consumers');
    assert.equal(message, 'column month is no longer part of the primary key: rows may no longer be unique by the old key, and it may hold null values');
  });

  it('a classification change breaks consumers', () => {
    const message = only(diffContracts(contract(), withColumn('email', { classification: 'PII' })), 'breaking classification_changed email', 'consumers');
    assert.equal(message, 'classification of column email changed from internal to pii');
    only(diffContracts(contract(), withColumn('visits', { classification: 'confidential' })), 'breaking classification_changed visits', 'consumers');
  });

  it('matches columns case-insensitively, as DuckDB does', () => {
    assert.deepEqual(found(diffContracts(contract(), withColumn('visits', { name: 'Visits' }))), []);
  });
});

describe('diffContracts: values and rules', () => {
  const statusValues = (values: string[] | undefined) => withColumn('status', { quality: values ? [{ type: 'accepted_values', values }] : [] });

  it('narrowed accepted values break producers; widened ones do not', () => {
    assert.equal(
      only(diffContracts(contract(), statusValues(['open'])), 'breaking values_narrowed status', 'producers'),
      'accepted values of column status narrowed: "closed" no longer accepted',
    );
    assert.equal(
      only(diffContracts(contract(), statusValues(['open', 'closed', 'paused'])), 'non_breaking values_widened status'),
      'accepted values of column status widened: "paused" now accepted',
    );
    assert.deepEqual(found(diffContracts(contract(), statusValues(['open', 'paused']))), ['breaking values_narrowed status', 'non_breaking values_widened status']);
    only(diffContracts(contract(), statusValues(undefined)), 'non_breaking values_widened status');
    only(diffContracts(statusValues(undefined), contract({ version: '3.0.0' })), 'breaking values_narrowed status', 'producers');
  });

  it('a narrowed range breaks producers; a widened one does not', () => {
    const range = (min: number | undefined, max: number | undefined) =>
      withColumn('revenue', { quality: [{ type: 'range', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }] });
    assert.equal(
      only(diffContracts(contract(), range(10, 1_000_000)), 'breaking range_narrowed revenue', 'producers'),
      'range of column revenue narrowed from min 0, max 1000000 to min 10, max 1000000',
    );
    only(diffContracts(contract(), range(0, 500)), 'breaking range_narrowed revenue', 'producers');
    only(diffContracts(contract(), range(-10, 1_000_000)), 'non_breaking range_widened revenue');
    assert.equal(only(diffContracts(contract(), range(0, undefined)), 'non_breaking range_widened revenue'), 'range of column revenue widened from min 0, max 1000000 to min 0');
  });

  it('a narrowed row count breaks producers; a widened one does not', () => {
    const rows = (min: number) => contract({ version: '2.0.0', quality: [{ type: 'row_count', min }, { type: 'expression', expression: 'visits >= 0' }] });
    only(diffContracts(contract(), rows(100)), 'breaking row_count_narrowed', 'producers');
    only(diffContracts(rows(100), contract({ version: '3.0.0' })), 'non_breaking row_count_widened');
  });

  it('an added rule breaks producers; a removed rule does not', () => {
    const withRule = contract({ version: '2.0.0', quality: [...(BASE.quality ?? []), { type: 'expression', expression: 'revenue >= 0' }] });
    assert.equal(only(diffContracts(contract(), withRule), 'breaking rule_added', 'producers'), 'rule added on the table: expression "revenue >= 0"');
    only(diffContracts(withRule, contract({ version: '3.0.0' })), 'non_breaking rule_removed');
    assert.equal(only(diffContracts(contract(), withColumn('email', { quality: [] })), 'non_breaking rule_removed email'), 'rule removed on column email: pattern ^.+@.+$');
    assert.deepEqual(found(diffContracts(contract(), withColumn('email', { quality: [{ type: 'regex', pattern: '^.+@.+\\..+$' }] }))), [
      'breaking rule_added email',
      'non_breaking rule_removed email',
    ]);
  });
});

describe('diffContracts: SLA, table and metadata', () => {
  const sla = (freshness: string | undefined, column?: string) =>
    contract({ version: '2.0.0', ...(freshness === undefined ? { sla: undefined } : { sla: { freshness, ...(column ? { freshness_column: column } : {}) } }) });

  it('a tightened freshness SLA breaks producers; a loosened one does not', () => {
    assert.equal(only(diffContracts(contract(), sla('24h', 'computed_at')), 'breaking freshness_tightened', 'producers'), 'freshness SLA tightened from 36h to 24h');
    assert.equal(only(diffContracts(contract(), sla('2d', 'computed_at')), 'non_breaking freshness_loosened'), 'freshness SLA loosened from 36h to 2d');
    assert.equal(only(diffContracts(contract(), sla(undefined)), 'non_breaking freshness_loosened'), 'freshness SLA of 36h removed');
    assert.equal(only(diffContracts(sla(undefined), contract({ version: '3.0.0' })), 'breaking freshness_tightened', 'producers'), 'freshness SLA of 36h added');
    assert.deepEqual(found(diffContracts(contract(), sla('1d12h', 'computed_at'))), []);
  });

  it('measuring freshness on something else breaks producers', () => {
    const message = only(diffContracts(contract(), sla('36h')), 'breaking freshness_column_changed', 'producers');
    assert.equal(message, 'freshness is now measured on the last load instead of column computed_at');
  });

  it('forbidding extra columns breaks producers; allowing them does not', () => {
    only(diffContracts(contract(), contract({ version: '2.0.0', additional_columns: false })), 'breaking extra_columns_forbidden', 'producers');
    only(diffContracts(contract({ additional_columns: false }), contract({ version: '1.1.0' })), 'non_breaking extra_columns_allowed');
  });

  it('status and owner changes are reported as not breaking', () => {
    const diff = diffContracts(contract(), contract({ version: '1.0.1', status: 'deprecated', owner: 'parks-data@example.com' }));
    assert.deepEqual(found(diff), ['non_breaking status_changed', 'non_breaking owner_changed']);
    assert.deepEqual(
      diff.changes.map((c) => c.message),
      ['status changed from active to deprecated', 'owner changed from finance-data@example.com to parks-data@example.com'],
    );
  });

  it('contracts of different assets differ in a breaking way', () => {
    only(diffContracts(contract(), contract({ version: '2.0.0', id: 'parks.gold.visits' })), 'breaking asset_changed', 'both');
  });

  it('lists breaking changes first', () => {
    const after = contract({
      version: '2.0.0',
      schema: [...COLUMNS.filter((c) => c.name !== 'email'), { name: 'region', type: 'VARCHAR' }],
      sla: { freshness: '2d', freshness_column: 'computed_at' },
    });
    assert.deepEqual(found(diffContracts(contract(), after)), ['breaking column_removed email', 'non_breaking column_added region', 'non_breaking freshness_loosened']);
  });
});

describe('diffContracts: version', () => {
  const removed = (version: string) => contract({ version, schema: COLUMNS.filter((c) => c.name !== 'visits') });
  const added = (version: string) => contract({ version, schema: [...COLUMNS, { name: 'region', type: 'VARCHAR' }] });

  it('a breaking change without a new major version is a breaking finding', () => {
    const diff = diffContracts(contract({ version: '1.2.0' }), removed('1.3.0'));
    assert.deepEqual(found(diff), ['breaking column_removed visits', 'breaking version_not_bumped']);
    assert.equal(diff.changes[1]?.message, 'version 1.2.0 → 1.3.0 has breaking changes but its major version did not increase; publish it as 2.0.0 or later');
    assert.deepEqual(found(diffContracts(contract({ version: '0.4.0' }), removed('0.5.0'))), ['breaking column_removed visits', 'breaking version_not_bumped']);
  });

  it('a new major version, pre-releases included, satisfies the rule', () => {
    assert.deepEqual(found(diffContracts(contract({ version: '1.2.0' }), removed('2.0.0'))), ['breaking column_removed visits']);
    assert.deepEqual(found(diffContracts(contract({ version: '1.2.0' }), removed('2.0.0-rc.1'))), ['breaking column_removed visits']);
  });

  it('a non-breaking change needs a higher version, of any kind', () => {
    assert.deepEqual(found(diffContracts(contract({ version: '1.2.0' }), added('1.2.0'))), ['non_breaking column_added region', 'non_breaking version_not_increased']);
    assert.deepEqual(found(diffContracts(contract({ version: '1.2.0' }), added('1.1.9'))), ['non_breaking column_added region', 'non_breaking version_not_increased']);
    assert.deepEqual(found(diffContracts(contract({ version: '1.2.0' }), added('1.2.1'))), ['non_breaking column_added region']);
    assert.deepEqual(found(diffContracts(contract({ version: '1.2.0-rc.1' }), added('1.2.0'))), ['non_breaking column_added region']);
  });
});
