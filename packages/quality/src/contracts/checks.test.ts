import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contractChecks } from './checks.ts';
import { parseContract } from './load.ts';

const CONTRACT = `kind: DataContract
id: parks.gold.revenue_by_park
version: 1.2.0
schema:
  - { name: park_id, type: text, primaryKey: true }
  - { name: month, type: date, primaryKey: true }
  - name: revenue
    type: numeric(18, 2)
    required: true
    quality:
      - { type: range, min: 0 }
  - name: status
    type: string
    quality:
      - { type: accepted_values, values: [open, closed], severity: warn }
  - { name: computed_at, type: TIMESTAMPTZ }
  - name: email
    type: VARCHAR
    required: true
    unique: true
    quality:
      - { type: not_null }
      - { type: regex, pattern: "^[^@]+@[^@]+$" }
quality:
  - { type: row_count, min: 1 }
  - { type: unique, columns: [park_id, month] }
  - { type: expression, expression: "revenue >= 0", description: no refunds in revenue }
  - { type: expression, expression: "revenue < 1e9", name: revenue_cap, severity: warn }
sla:
  freshness: 36h
  freshness_column: computed_at
`;

const fail = { severity: 'error', action: 'fail' } as const;

describe('contractChecks', () => {
  it('turns every promise of the contract into a check, once', () => {
    assert.deepEqual(contractChecks(parseContract(CONTRACT)), [
      {
        type: 'schema',
        columns: { park_id: 'VARCHAR', month: 'DATE', revenue: 'DECIMAL(18,2)', computed_at: 'TIMESTAMP WITH TIME ZONE', email: 'VARCHAR' },
        allow_extra: true,
        name: 'contract:schema',
        ...fail,
      },
      { type: 'not_null', column: 'park_id', name: 'contract:not_null_park_id', ...fail },
      { type: 'not_null', column: 'month', name: 'contract:not_null_month', ...fail },
      { type: 'not_null', column: 'revenue', name: 'contract:not_null_revenue', ...fail },
      { type: 'range', column: 'revenue', min: 0, name: 'contract:range_revenue', ...fail },
      { type: 'accepted_values', column: 'status', values: ['open', 'closed'], name: 'contract:accepted_values_status', severity: 'warn', action: 'warn' },
      { type: 'not_null', column: 'email', name: 'contract:not_null_email', ...fail },
      { type: 'unique', columns: ['email'], name: 'contract:unique_email', ...fail },
      { type: 'regex', column: 'email', pattern: '^[^@]+@[^@]+$', name: 'contract:regex_email', ...fail },
      { type: 'unique', columns: ['park_id', 'month'], name: 'contract:unique_park_id_month', ...fail },
      { type: 'row_count', min: 1, name: 'contract:row_count', ...fail },
      { type: 'expression', expression: 'revenue >= 0', name: 'contract:expression_revenue_0', ...fail, description: 'no refunds in revenue' },
      { type: 'expression', expression: 'revenue < 1e9', name: 'contract:revenue_cap', severity: 'warn', action: 'warn' },
      { type: 'freshness', column: 'computed_at', max_age: '36h', name: 'contract:freshness', ...fail },
    ]);
  });

  it('makes a single key column unique and forbids extra columns when the contract does', () => {
    const checks = contractChecks(
      parseContract(`kind: DataContract
id: parks.silver.parks
version: 1.0.0
additional_columns: false
schema:
  - { name: id, type: BIGINT, primaryKey: true }
sla: { freshness: 1d }
`),
    );
    assert.deepEqual(checks, [
      { type: 'schema', columns: { id: 'BIGINT' }, allow_extra: false, name: 'contract:schema', ...fail },
      { type: 'not_null', column: 'id', name: 'contract:not_null_id', ...fail },
      { type: 'unique', columns: ['id'], name: 'contract:unique_id', ...fail },
      { type: 'freshness', max_age: '1d', name: 'contract:freshness', ...fail },
    ]);
  });

  it('gives different checks that would share a name distinct names', () => {
    const checks = contractChecks(
      parseContract(`kind: DataContract
id: parks.silver.visits
version: 1.0.0
schema:
  - name: kind
    type: VARCHAR
    quality:
      - { type: accepted_values, values: [day, season] }
quality:
  - { type: accepted_values, column: kind, values: [day] }
  - { type: accepted_values, column: kind, values: [day, season] }
`),
    );
    assert.deepEqual(
      checks.map((c) => [c.name, c.type === 'accepted_values' ? c.values : undefined]),
      [
        ['contract:schema', undefined],
        ['contract:accepted_values_kind', ['day', 'season']],
        ['contract:accepted_values_kind_2', ['day']],
      ],
    );
  });

  it('derives plain check names from column names with other characters', () => {
    const checks = contractChecks(
      parseContract(`kind: DataContract
id: parks.bronze.survey
version: 1.0.0
schema:
  - { name: "Park Name", type: VARCHAR, required: true }
`),
    );
    assert.deepEqual(checks[1], { type: 'not_null', column: 'Park Name', name: 'contract:not_null_Park_Name', ...fail });
  });

  it('leaves columns of a wide logical type out of the schema check, and the check out when none is left', () => {
    const contract = (types: string) =>
      parseContract(`kind: DataContract
id: parks.silver.t
version: 1.0.0
schema:
${types}`);
    const schemaOf = (types: string) => contractChecks(contract(types)).find((c) => c.type === 'schema');
    assert.deepEqual(schemaOf('  - { name: a, type: integer }\n  - { name: b, type: boolean }\n  - { name: c, type: INT }\n'), {
      type: 'schema',
      columns: { b: 'BOOLEAN', c: 'INTEGER' },
      allow_extra: true,
      name: 'contract:schema',
      ...fail,
    });
    assert.equal(schemaOf('  - { name: a, type: integer }\n  - { name: b, type: timestamp }\n'), undefined);
  });
});
