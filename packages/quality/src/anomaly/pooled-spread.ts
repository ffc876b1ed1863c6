import { leaveOneOut, RELATIVE_SPREAD_FLOOR, robustSpread } from './robust-stats.ts';

/** Fewest residuals a pooled spread is estimated from; with fewer, the same-weekday values' own spread is used. */
const MIN_RESIDUALS = 7;

export interface PooledSpread {
  /** MAD of the pooled residuals, in the unit of the values at the level of `center`. */
  readonly mad: number;
  /** As `RobustSpread.spread`, at the level of `center`. */
  readonly spread: number;
  /** How many residuals it was estimated from. */
  readonly size: number;
}

/**
 * The noise of a weekday-seasonal series, pooled over all weekdays so that comparing a Saturday with
 * only eight earlier Saturdays still rests on a spread estimated from some fifty values.
 *
 * Each value of a weekday with at least three values is compared with the median of the other values
 * of its weekday (a leave-one-out residual, which includes the error of predicting by a median of few
 * values). Series that are never negative (counts, rates, sizes) vary in proportion to their level, so
 * their residuals are taken relative to that median and scaled to `center`; other series vary by a
 * fixed amount. Undefined when there are too few residuals.
 */
export function pooledWeekdaySpread(groups: readonly (readonly number[])[], center: number): PooledSpread | undefined {
  const proportional = groups.every((g) => g.every((v) => v >= 0));
  const residuals: number[] = [];
  for (const group of groups) {
    if (group.length < 3) continue;
    for (const { value, othersMedian } of leaveOneOut(group)) {
      if (!proportional) residuals.push(value - othersMedian);
      else if (othersMedian > 0) residuals.push((value - othersMedian) / othersMedian);
    }
  }
  if (residuals.length < MIN_RESIDUALS) return undefined;
  const { mad, spread } = robustSpread(residuals);
  const unit = proportional ? Math.abs(center) : 1;
  return { mad: mad * unit, spread: Math.max(spread * unit, RELATIVE_SPREAD_FLOOR * Math.abs(center)), size: residuals.length };
}
