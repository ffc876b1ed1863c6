import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaveOneOut, MAD_SCALE, median, robustSpread } from './robust-stats.ts';

describe('robust statistics', () => {
  it('median of odd and even counts, unaffected by order', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), RangeError);
  });

  it('spread is 1.4826 × MAD and ignores a minority of outliers', () => {
    const values = [10, 11, 9, 10, 12, 8, 10, 1000];
    const s = robustSpread(values);
    assert.equal(s.median, 10);
    // Absolute deviations 0,1,1,0,2,2,0,990 → median 1.
    assert.equal(s.mad, 1);
    assert.equal(s.spread, MAD_SCALE);
  });

  it('MAD = 0 falls back to the mean absolute deviation, then to 1 % of the median', () => {
    // More than half equal: MAD 0, but the history did vary.
    const varied = robustSpread([100, 100, 100, 100, 100, 130, 70]);
    assert.equal(varied.mad, 0);
    assert.ok(Math.abs(varied.spread - 1.2533 * (60 / 7)) < 1e-9);
    // Constant history: 1 % of the median.
    const constant = robustSpread([1000, 1000, 1000]);
    assert.equal(constant.spread, 10);
    // Constant zero: no spread at all.
    assert.equal(robustSpread([0, 0, 0]).spread, 0);
  });

  it('leave-one-out medians match the brute-force computation', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 20;
    for (let t = 0; t < 300; t++) {
      const values = Array.from({ length: 2 + (t % 9) }, next);
      const got = leaveOneOut(values).map((x) => [x.value, x.othersMedian]);
      const want = [...values]
        .sort((a, b) => a - b)
        .map((v, i, sorted) => [v, median(sorted.filter((_, j) => j !== i))]);
      assert.deepEqual(got, want, `values ${values.join(',')}`);
    }
  });
});
