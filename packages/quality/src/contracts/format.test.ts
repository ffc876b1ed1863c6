import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { diffContractWithSchema } from './diff-schema.ts';
import { diffContracts } from './diff.ts';
import { formatDiff } from './format.ts';
import { parseContract } from './load.ts';

const contract = (version: string, columns: string) =>
  parseContract(`kind: DataContract
id: parks.gold.revenue_by_park
version: ${version}
schema:
${columns}`);

const V1 = contract('1.2.0', '  - { name: park_id, type: VARCHAR, required: true }\n  - { name: visits, type: INTEGER }\n');

describe('formatDiff', () => {
  it('prints a summary line, then breaking changes and who they break, then the others', () => {
    const v2 = contract('1.3.0', '  - { name: park_id, type: VARCHAR }\n  - { name: visits, type: BIGINT }\n');
    assert.equal(
      formatDiff(diffContracts(V1, v2)),
      [
        'parks.gold.revenue_by_park 1.2.0 → 1.3.0: 2 breaking changes, 1 non-breaking change',
        '  breaking      column park_id is no longer required: consumers may now receive null values (breaks consumers)',
        '  breaking      version 1.2.0 → 1.3.0 has breaking changes but its major version did not increase; publish it as 2.0.0 or later (breaks consumers)',
        '  non-breaking  column visits widened from INTEGER to BIGINT',
      ].join('\n'),
    );
  });

  it('says when nothing changed, and names the table in a comparison with it', () => {
    assert.equal(formatDiff(diffContracts(V1, V1)), 'parks.gold.revenue_by_park 1.2.0 → 1.2.0: no changes');
    const diff = diffContractWithSchema(V1, [{ name: 'park_id', type: 'VARCHAR' }]);
    assert.equal(
      formatDiff(diff),
      'parks.gold.revenue_by_park 1.2.0 → actual table: 1 breaking change\n  breaking      column visits is in the contract but not in the table (breaks consumers)',
    );
  });

  it('gives the diff as JSON for machines', () => {
    const diff = diffContractWithSchema(V1, [{ name: 'park_id', type: 'VARCHAR' }, { name: 'visits', type: 'INTEGER' }, { name: 'x', type: 'DATE' }]);
    assert.deepEqual(JSON.parse(formatDiff(diff, 'json')), {
      contract: 'parks.gold.revenue_by_park',
      compared: 'table',
      from: '1.2.0',
      to: 'table',
      breaking: false,
      changes: [{ kind: 'non_breaking', rule: 'extra_column', column: 'x', message: 'column x is in the table but not in the contract' }],
    });
  });
});
