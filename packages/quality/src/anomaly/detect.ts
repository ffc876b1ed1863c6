import { QualityError } from '../errors.ts';
import { chooseBaseline } from './baseline.ts';
import type { Baseline } from './baseline.ts';
import { countOf, formatNumber, rangeText, weekdayName } from './message.ts';
import { resolveOptions } from './options.ts';
import type { ResolvedOptions } from './options.ts';
import { pooledWeekdaySpread } from './pooled-spread.ts';
import { median, robustSpread } from './robust-stats.ts';
import type { AnomalyVerdict, CurrentObservation, DetectOptions, JudgedVerdict, Observation } from './types.ts';

/**
 * A short history estimates the spread poorly, and a spread estimated too small raises false alarms:
 * with 7 values, median ± 3.5 × 1.4826 × MAD flags about 7 % of pure normal noise instead of
 * 0.05 %, with 14 values 1.9 %. The band is therefore widened by (1 + 8 / n) for a spread estimated
 * from n values: × 2.1 for 7, × 1.3 for 28, × 1.14 for 56, which brings those rates to about 1 % for
 * 7 values, 0.25 % for 14 and 0.1 % from 28 (simulated).
 */
export function smallSampleWidening(n: number): number {
  return 1 + 8 / n;
}

/**
 * Judges `current` against the earlier `history` of the same metric. Pure: no I/O, no clock.
 *
 * The baseline (see `chooseBaseline`) is the earlier values of the last `windowDays` days, without
 * those flagged anomalous unless a steward marked them expected, and, with weekday seasonality,
 * only those of the same weekday. The value is anomalous when
 * |value − median| > sensitivity × spread × (1 + 8 / n): median of the baseline; spread 1.4826 × MAD
 * of the baseline (see `robustSpread` for its floors) or, when seasonal, the weekday noise pooled
 * over all weekdays (see `pooledWeekdaySpread`); n the number of values the spread comes from.
 * Fewer than `minHistory` usable values give `insufficient_history`. A `current` marked expected
 * is judged but never `anomaly`.
 *
 * With `auto` seasonality and not yet enough same-weekday history, a value that is out of the
 * all-days range in the same direction as its earlier same-weekday values (a Saturday peak while
 * earlier Saturdays peaked too) gives `insufficient_history` rather than a false alarm: the weekday
 * pattern likely explains it, but there is too little history to judge that weekday on its own.
 *
 * Throws QUALITY_INVALID_DEFINITION for invalid options or a non-finite current value.
 */
export function detectAnomaly(history: readonly Observation[], current: CurrentObservation, options: DetectOptions = {}): AnomalyVerdict {
  const o = resolveOptions(options);
  if (!Number.isFinite(current.value)) {
    throw new QualityError('QUALITY_INVALID_DEFINITION', `monitor of ${o.label}: the value to judge must be a finite number, got ${current.value}`);
  }
  if (Number.isNaN(current.at.getTime())) {
    throw new QualityError('QUALITY_INVALID_DEFINITION', `monitor of ${o.label}: the value to judge has an invalid date`);
  }
  const baseline = chooseBaseline(history, current, o);
  const day = weekdayName(baseline.weekday);
  if (baseline.kind === 'insufficient') {
    const seasonal = baseline.lacking === 'weekday';
    const what = seasonal ? `a ${day}` : formatNumber(current.value);
    return {
      status: 'insufficient_history',
      value: current.value,
      needed: baseline.needed,
      have: baseline.have,
      seasonal,
      message:
        `${o.label}: not enough history to judge ${what} yet: ${countOf(baseline.have, seasonal, baseline.weekday)} ` +
        `in the last ${o.windowDays} days, ${baseline.needed} needed`,
    };
  }

  const verdict = judge(baseline, current, o);
  const weekdayValues = baseline.byWeekday[baseline.weekday] ?? [];
  if (verdict.status === 'anomaly' && !baseline.seasonal && weekdayValues.length > 0) {
    const usual = median(weekdayValues);
    const [lo, hi] = verdict.expectedRange;
    const sameSide = (current.value > hi && usual > hi) || (current.value < lo && usual < lo);
    if (sameSide) {
      return {
        status: 'insufficient_history',
        value: current.value,
        needed: o.minWeekdayHistory,
        have: baseline.weekdayDays,
        seasonal: true,
        message:
          `${o.label} ${formatNumber(current.value)} is outside the usual ${rangeText(verdict.expectedRange)} of all days, ` +
          `as earlier ${day}s were (median ${formatNumber(usual)}); not enough history to judge a ${day} on its own yet: ` +
          `${countOf(baseline.weekdayDays, true, baseline.weekday)} in the last ${o.windowDays} days, ${o.minWeekdayHistory} needed`,
      };
    }
  }
  return verdict;
}

function judge(baseline: Baseline & { kind: 'baseline' }, current: CurrentObservation, o: ResolvedOptions): JudgedVerdict {
  const { values, seasonal, weekday } = baseline;
  const own = robustSpread(values);
  const { median } = own;
  const pooled = seasonal ? pooledWeekdaySpread(baseline.byWeekday, median) : undefined;
  const { mad, spread } = pooled ?? own;
  const scale = spread * smallSampleWidening(pooled?.size ?? values.length);
  const halfWidth = o.sensitivity * scale;
  const lowest = values.reduce((a, b) => Math.min(a, b), Infinity);
  // A series that has never been negative (counts, rates) is not expected to become negative.
  const expectedRange: [number, number] = [lowest >= 0 ? Math.max(0, median - halfWidth) : median - halfWidth, median + halfWidth];
  const distance = Math.abs(current.value - median);
  const score = scale > 0 ? distance / scale : distance === 0 ? 0 : undefined;
  const outside = score === undefined || score > o.sensitivity;
  const context = seasonal ? ` for a ${weekdayName(weekday)}` : '';
  const basis = `median ${formatNumber(median)} of ${countOf(values.length, seasonal, weekday)}`;
  const base = { value: current.value, expectedRange, median, mad, seasonal, ...(score === undefined ? {} : { score }) };
  if (!outside) {
    return { ...base, status: 'ok', message: `${o.label} ${formatNumber(current.value)} is within the usual ${rangeText(expectedRange)}${context} (${basis})` };
  }
  const far = score === undefined || score > 2 * o.sensitivity ? 'far ' : '';
  const direction = current.value > median ? 'above' : 'below';
  const text = `${o.label} ${formatNumber(current.value)} is ${far}${direction} the usual ${rangeText(expectedRange)}${context} (${basis})`;
  if (current.expected === true) return { ...base, status: 'ok', message: `${text}, but was marked as expected` };
  return { ...base, status: 'anomaly', message: text };
}
