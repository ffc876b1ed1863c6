import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { describeSchema, diffContractWithSchema } from './diff-schema.ts';
import { parseContract } from './load.ts';

const contract = (extra = '') =>
  parseContract(`kind: DataContract
id: parks.gold.revenue_by_park
version: 1.2.0
${extra}schema:
  - { name: park_id, type: text, primaryKey: true }
  - { name: month, type: date, primaryKey: true }
  - { name: revenue, type: "numeric(18, 2)", required: true }
  - { name: visits, type: integer }
  - { name: computed_at, type: TIMESTAMPTZ }
`);

const found = (changes: readonly { kind: string; rule: string; column?: string }[]) => changes.map((c) => `${c.kind} ${c.rule} ${c.column}`);

describe('diffContractWithSchema', () => {
  it('compares a contract with the schema DuckDB describes for a query', async () => {
    const engine = await DuckDbEngine.create({ threads: 1 });
    try {
      const actual = await describeSchema(
        engine,
        `select 'p1' as park_id, date '2024-01-01' as month, 12.5::double as revenue, 3::bigint as visits,
                current_date as computed_at, 'north' as region`,
      );
      assert.deepEqual(actual, [
        { name: 'park_id', type: 'VARCHAR' },
        { name: 'month', type: 'DATE' },
        { name: 'revenue', type: 'DOUBLE' },
        { name: 'visits', type: 'BIGINT' },
        { name: 'computed_at', type: 'DATE' },
        { name: 'region', type: 'VARCHAR' },
      ]);
      const diff = diffContractWithSchema(contract(), actual);
      assert.equal(diff.compared, 'table');
      assert.equal(diff.breaking, true);
      assert.deepEqual(
        diff.changes.map((c) => [c.kind, c.rule, c.message]),
        [
          ['breaking', 'type_mismatch', 'column revenue is DOUBLE in the table but DECIMAL(18,2) in the contract'],
          ['breaking', 'type_mismatch', 'column computed_at is DATE in the table but TIMESTAMP WITH TIME ZONE in the contract'],
          ['non_breaking', 'extra_column', 'column region is in the table but not in the contract'],
        ],
      );
    } finally {
      await engine.close();
    }
  });

  it('accepts a table that keeps the contract, with aliases and logical types resolved', () => {
    const diff = diffContractWithSchema(contract(), [
      { name: 'PARK_ID', type: 'VARCHAR', nullable: false },
      { name: 'month', type: 'DATE', nullable: false },
      { name: 'revenue', type: 'DECIMAL(18,2)', nullable: false },
      { name: 'visits', type: 'SMALLINT', nullable: true },
      { name: 'computed_at', type: 'TIMESTAMP WITH TIME ZONE' },
    ]);
    assert.deepEqual(diff, { contract: 'parks.gold.revenue_by_park', compared: 'table', from: '1.2.0', to: 'table', breaking: false, changes: [] });
  });

  it('reports missing columns, and extra ones as breaking when the contract forbids them', () => {
    const actual = [
      { name: 'park_id', type: 'VARCHAR' },
      { name: 'month', type: 'DATE' },
      { name: 'revenue', type: 'DECIMAL(18,2)', nullable: true },
      { name: 'visits', type: 'INTEGER' },
      { name: 'region', type: 'VARCHAR' },
    ];
    const diff = diffContractWithSchema(contract('additional_columns: false\n'), actual);
    assert.deepEqual(found(diff.changes), [
      'breaking column_missing computed_at',
      'breaking extra_column region',
      'non_breaking nullable_column revenue',
    ]);
    assert.deepEqual(
      diff.changes.map((c) => c.message),
      [
        'column computed_at is in the contract but not in the table',
        'column region is in the table but the contract allows no other columns',
        'column revenue is nullable in the table though the contract requires a value; the not_null check enforces it',
      ],
    );
  });
});
