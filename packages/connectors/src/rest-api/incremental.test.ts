import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCursors, cursorOf, maxOfRecords, runStart } from './incremental.ts';

const config = { cursor_field: 'updated_at', param: 'since', lookback_seconds: 3600 };

describe('incremental cursors', () => {
  it('compares timestamps as instants, numbers as numbers', () => {
    assert.equal(compareCursors('2024-01-01T10:00:00+02:00', '2024-01-01T09:00:00Z'), -1);
    assert.equal(compareCursors('2024-01-02', '2024-01-01T23:59:59Z'), 1);
    assert.equal(compareCursors(9, 10), -1);
    assert.equal(compareCursors('9', '10'), -1, 'numeric strings compare as numbers');
    assert.equal(compareCursors('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), 0);
  });

  it('takes the maximum over records, ignoring missing or unusable values', () => {
    const records = [{ updated_at: '2024-03-01T00:00:00Z' }, { updated_at: null }, {}, { updated_at: 'n/a' }, { updated_at: '2024-03-02T00:00:00.5Z' }];
    assert.equal(maxOfRecords(records, 'updated_at', undefined), '2024-03-02T00:00:00.5Z');
    assert.equal(maxOfRecords(records, 'updated_at', '2025-01-01T00:00:00Z'), '2025-01-01T00:00:00Z');
    assert.equal(cursorOf({ meta: { v: 7 } }, 'meta.v'), 7);
  });

  it('starts a run at the watermark minus the look-back, or at start', () => {
    assert.equal(runStart({ ...config, start: '2022-01-01T00:00:00Z' }, undefined), '2022-01-01T00:00:00Z');
    assert.equal(runStart(config, undefined), undefined);
    assert.equal(runStart(config, '2024-03-05T10:00:00Z'), '2024-03-05T09:00:00Z');
    assert.equal(runStart(config, '2024-03-05T10:00:00.250Z'), '2024-03-05T09:00:00.250Z');
    assert.equal(runStart(config, '2024-03-05T10:00:00+02:00'), '2024-03-05T07:00:00Z');
    assert.equal(runStart(config, 1_700_000_000), 1_699_996_400);
    assert.equal(runStart(config, '1700000000'), '1699996400');
    assert.equal(runStart({ ...config, lookback_seconds: 0 }, '2024-03-05T10:00:00Z'), '2024-03-05T10:00:00Z');
  });
});
