import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCoreError } from '../errors.ts';
import { assertPartitionKey, partitionKeyAt, partitionKeys, partitionPredicate } from './partitions.ts';

describe('partitions', () => {
  const daily = { kind: 'daily' as const, start: '2026-01-30', column: 'day' };
  it('lists time windows in a range, bounded by the start and the last complete window', () => {
    assert.deepEqual(partitionKeys(daily, { from: '2026-01-01', to: '2026-02-02' }), ['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    assert.deepEqual(partitionKeys({ kind: 'monthly', start: '2025-11', column: 'm' }, {}, new Date('2026-02-15T00:00:00Z')), ['2025-11', '2025-12', '2026-01', '2026-02']);
    assert.deepEqual(partitionKeys({ kind: 'hourly', start: '2026-03-01T22', column: 'h' }, { to: '2026-03-02T01' }), [
      '2026-03-01T22',
      '2026-03-01T23',
      '2026-03-02T00',
      '2026-03-02T01',
    ]);
    assert.deepEqual(partitionKeys({ kind: 'static', values: ['annecy', 'lyon', 'nantes'], column: 'park' }, { from: 'lyon' }), ['lyon', 'nantes']);
  });

  it('validates keys and gives the window containing an instant', () => {
    assert.throws(() => assertPartitionKey(daily, '2026-1-5'), (e: unknown) => isCoreError(e, 'CORE_INVALID_PARTITION') && /YYYY-MM-DD/.test(e.message));
    assert.throws(() => assertPartitionKey(daily, '2026-02-30'), (e: unknown) => isCoreError(e, 'CORE_INVALID_PARTITION'));
    assert.throws(() => assertPartitionKey(daily, '2025-12-31'), (e: unknown) => isCoreError(e, 'CORE_INVALID_PARTITION') && /before the start/.test(e.message));
    assert.equal(partitionKeyAt(daily, new Date('2026-05-04T23:59:59Z')), '2026-05-04');
  });

  it('selects a partition with a half-open time range', () => {
    assert.equal(partitionPredicate(daily, '2026-02-01'), `"day" >= TIMESTAMPTZ '2026-02-01T00:00:00.000Z' AND "day" < TIMESTAMPTZ '2026-02-02T00:00:00.000Z'`);
    assert.equal(partitionPredicate({ kind: 'static', values: ["o'clock"], column: 'c' }, "o'clock"), `"c" = 'o''clock'`);
  });
});
