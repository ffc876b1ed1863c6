import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isQualityError } from '../errors.ts';
import { loadContract, parseContract } from './load.ts';

const VALID = `apiVersion: v3.0.0
kind: DataContract
id: parks.gold.revenue_by_park
version: 1.2.0
status: active
owner: finance-data@example.com
description: Monthly revenue per park.
schema:
  - name: park_id
    type: VARCHAR
    primaryKey: true
    classification: internal
  - name: month
    type: date
    primaryKey: true
  - name: revenue
    type: DECIMAL(18,2)
    required: true
    quality:
      - { type: range, min: 0 }
  - name: status
    type: string
    quality:
      - { type: accepted_values, values: [open, closed], severity: warn }
  - name: computed_at
    type: TIMESTAMPTZ
quality:
  - { type: row_count, min: 1 }
  - { type: expression, expression: "revenue >= 0", description: no refunds in revenue }
sla:
  freshness: 36h
  freshness_column: computed_at
`;

/** The error a parse throws, checked to be a QualityError with the contract code. */
function parseError(text: string): string {
  try {
    parseContract(text, 'domains/parks/gold/x.contract.yaml');
  } catch (e) {
    assert.ok(isQualityError(e, 'QUALITY_INVALID_CONTRACT'), String(e));
    return e.message;
  }
  assert.fail('the contract was accepted');
}

const minimal = (schema: string, rest = '') => `kind: DataContract
id: parks.gold.t
version: 1.0.0
schema:
${schema}${rest}`;

describe('loadContract', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-contract-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a contract file with every section and fills the defaults', async () => {
    const file = join(dir, 'revenue_by_park.contract.yaml');
    await writeFile(file, VALID);
    const c = await loadContract(file);
    assert.equal(c.id, 'parks.gold.revenue_by_park');
    assert.equal(c.version, '1.2.0');
    assert.equal(c.owner, 'finance-data@example.com');
    assert.deepEqual(
      c.schema.map((col) => [col.name, col.type, col.required, col.unique, col.primaryKey]),
      [
        ['park_id', 'VARCHAR', false, false, true],
        ['month', 'date', false, false, true],
        ['revenue', 'DECIMAL(18,2)', true, false, false],
        ['status', 'string', false, false, false],
        ['computed_at', 'TIMESTAMPTZ', false, false, false],
      ],
    );
    assert.deepEqual(c.schema[3]?.quality, [{ type: 'accepted_values', values: ['open', 'closed'], severity: 'warn' }]);
    assert.deepEqual(c.quality[1], { type: 'expression', expression: 'revenue >= 0', description: 'no refunds in revenue', severity: 'error' });
    assert.deepEqual(c.sla, { freshness: '36h', freshness_column: 'computed_at' });
    assert.equal(c.additional_columns, true);
  });

  it('fills status and empty rule lists when they are left out', () => {
    const c = parseContract(minimal('  - { name: id, type: BIGINT }\n'));
    assert.equal(c.status, 'active');
    assert.deepEqual(c.quality, []);
    assert.deepEqual(c.schema[0]?.quality, []);
    assert.equal(c.sla, undefined);
  });

  it('names the file when it cannot be read', async () => {
    const file = join(dir, 'missing.contract.yaml');
    await assert.rejects(loadContract(file), (e: unknown) => isQualityError(e, 'QUALITY_INVALID_CONTRACT') && e.message.includes(file));
  });

  it('reports invalid YAML with its line', () => {
    assert.equal(
      parseError('kind: DataContract\nid: parks.gold.t\nid: parks.gold.u\n'),
      'domains/parks/gold/x.contract.yaml:3: invalid YAML: Map keys must be unique',
    );
  });
});

describe('contract validation messages', () => {
  it('points at the line of a bad type and lists what is expected', () => {
    const message = parseError(minimal('  - name: id\n    type: BIGINT\n  - name: amount\n    type: DECIMAL(18;2)\n'));
    assert.match(message, /^domains\/parks\/gold\/x\.contract\.yaml:8: schema\[1\]\.type: unknown type "DECIMAL\(18;2\)"; expected a DuckDB type .* or a lower-case logical type \(string, integer/);
  });

  it('points at an unknown field and lists the fields allowed there', () => {
    const message = parseError(minimal('  - name: id\n    type: BIGINT\n    nullable: false\n'));
    assert.equal(
      message,
      'domains/parks/gold/x.contract.yaml:7: schema[0].nullable: unknown field; expected name, type, required, unique, primaryKey, classification, description, tags, quality',
    );
  });

  it('reports a missing field at its parent and says what it expects', () => {
    const message = parseError('kind: DataContract\nid: parks.gold.t\nschema:\n  - { name: id, type: BIGINT }\n');
    assert.equal(message, 'domains/parks/gold/x.contract.yaml:1: version: missing; expected a string');
  });

  it('explains malformed top-level values', () => {
    const message = parseError('kind: Contract\nid: revenue\nversion: v1\nschema: []\n');
    assert.deepEqual(message.split('\n'), [
      'domains/parks/gold/x.contract.yaml:1: kind: expected DataContract',
      'domains/parks/gold/x.contract.yaml:2: id: expected an asset key such as parks.gold.revenue_by_park',
      'domains/parks/gold/x.contract.yaml:3: version: expected a semantic version such as 1.2.0',
      'domains/parks/gold/x.contract.yaml:4: schema: expected at least one column',
    ]);
  });

  it('checks quality rules: their type, their fields and their bounds', () => {
    const rules = [
      '    quality:',
      '      - { type: accepted_value, values: [a] }',
      '      - { type: range, min: 10, max: 1 }',
      '      - { type: regex, patern: "^a" }',
      '      - { type: range, min: 1, max: "2024-01-01" }',
    ].join('\n');
    const lines = parseError(minimal(`  - name: code\n    type: VARCHAR\n${rules}\n`)).split('\n');
    assert.deepEqual(lines, [
      'domains/parks/gold/x.contract.yaml:8: schema[0].quality[0].type: expected a rule type: one of not_null, unique, accepted_values, range, regex, expression',
      'domains/parks/gold/x.contract.yaml:9: schema[0].quality[1].min: min (10) is greater than max (1)',
      'domains/parks/gold/x.contract.yaml:10: schema[0].quality[2].pattern: missing; expected a string',
      'domains/parks/gold/x.contract.yaml:10: schema[0].quality[2].patern: unknown field; expected type, pattern, name, severity, description',
      'domains/parks/gold/x.contract.yaml:11: schema[0].quality[3].max: expected min and max of the same kind (both numbers, or both dates/timestamps)',
    ]);
  });

  it('checks that rules and the SLA name columns of the schema', () => {
    const rest = ['quality:', '  - { type: not_null, column: nope }', 'sla:', '  freshness: 36h', '  freshness_column: id', ''].join('\n');
    const lines = parseError(minimal('  - { name: id, type: BIGINT }\n  - { name: ID, type: VARCHAR }\n', rest)).split('\n');
    assert.deepEqual(lines, [
      'domains/parks/gold/x.contract.yaml:6: schema[1].name: column "ID" is listed twice',
      'domains/parks/gold/x.contract.yaml:8: quality[0].column: column "nope" is not in the contract\'s schema',
      'domains/parks/gold/x.contract.yaml:11: sla.freshness_column: column "id" is BIGINT; freshness needs a date or timestamp column',
    ]);
  });

  it('rejects a freshness that is not a duration', () => {
    const message = parseError(minimal('  - { name: id, type: BIGINT }\n', 'sla:\n  freshness: 36 hours\n'));
    assert.equal(message, 'domains/parks/gold/x.contract.yaml:7: sla.freshness: expected a duration such as 36h, 90m, 7d or 1d12h');
  });
});
