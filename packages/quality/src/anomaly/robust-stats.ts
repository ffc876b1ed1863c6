/**
 * Robust location and spread of a baseline. The median and the median absolute deviation (MAD)
 * ignore a minority of extreme values, so one past incident does not widen the band for everyone.
 */

/** 1.4826 × MAD estimates the standard deviation of normally distributed noise. */
export const MAD_SCALE = 1.4826;
/** √(π/2) × mean absolute deviation estimates the same standard deviation (used only when MAD is 0). */
export const MEAN_AD_SCALE = 1.2533;
/** The spread is never less than this fraction of |median| (1 %), so a constant history still tolerates tiny changes. */
export const RELATIVE_SPREAD_FLOOR = 0.01;

export interface RobustSpread {
  readonly median: number;
  /** The raw median absolute deviation from the median. */
  readonly mad: number;
  /**
   * The noise estimate the band is built from, in the unit of the values: 1.4826 × MAD; when more
   * than half of the values are equal (MAD = 0) 1.2533 × the mean absolute deviation instead;
   * in both cases at least 1 % of |median|. It is 0 only when every value equals a median of 0.
   */
  readonly spread: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median, MAD and spread of a non-empty list of finite numbers. */
export function robustSpread(values: readonly number[]): RobustSpread {
  const center = median(values);
  const deviations = values.map((v) => Math.abs(v - center));
  const mad = median(deviations);
  const meanAd = deviations.reduce((sum, d) => sum + d, 0) / deviations.length;
  const raw = mad > 0 ? MAD_SCALE * mad : MEAN_AD_SCALE * meanAd;
  return { median: center, mad, spread: Math.max(raw, RELATIVE_SPREAD_FLOOR * Math.abs(center)) };
}


/**
 * Each value with the median of the other values: what it would have been predicted as by the
 * median of its group. In ascending order of value; needs at least two values.
 */
export function leaveOneOut(values: readonly number[]): { readonly value: number; readonly othersMedian: number }[] {
  const sorted = [...values].sort((a, b) => a - b);
  const rest = sorted.length - 1;
  // Without the element at sorted position p, index j of the rest is j or j + 1: each median in O(1).
  const at = (j: number, p: number) => sorted[j < p ? j : j + 1] as number;
  return sorted.map((value, p) => ({
    value,
    othersMedian: rest % 2 === 1 ? at((rest - 1) / 2, p) : (at(rest / 2 - 1, p) + at(rest / 2, p)) / 2,
  }));
}
