/** A past value of a monitored metric. */
export interface Observation {
  readonly at: Date;
  readonly value: number;
  /** A data steward marked this value as expected: it is never flagged and always part of the baseline. */
  readonly expected?: boolean;
  /** The monitor flagged this value; unless it is also `expected`, it is left out of later baselines. */
  readonly anomalous?: boolean;
}

/** The value being judged. */
export interface CurrentObservation {
  readonly at: Date;
  readonly value: number;
  /** Marked as expected by a data steward: judged and described, but never reported as an anomaly. */
  readonly expected?: boolean;
}

/**
 * How values are grouped before comparing: `weekday` compares a Saturday with earlier Saturdays
 * only; `none` with every earlier value; `auto` (the default) compares by weekday as soon as there
 * are enough earlier same-weekday values, and with every earlier value before that.
 */
export type Seasonality = 'weekday' | 'none' | 'auto';

export interface DetectOptions {
  /**
   * How far from the usual a value must be to be flagged, in robust standard deviations of the
   * baseline's noise (see `detectAnomaly`). Larger numbers flag less. On daily series of ordinary
   * noise with eight weeks of history (simulated), 3.5 (the default) raises about 1 false alarm in
   * 800 values, 2.5 about 1 in 75, 5 fewer than 1 in 8,000.
   */
  readonly sensitivity?: number;
  /** Baseline values needed before any judgement (default 7); with fewer, the verdict is `insufficient_history`. */
  readonly minHistory?: number;
  /** Default `auto`. */
  readonly seasonality?: Seasonality;
  /** Earlier same-weekday values (on distinct days) needed to compare by weekday (default 4, i.e. four weeks). */
  readonly minWeekdayHistory?: number;
  /** The IANA time zone in which weekdays are counted (default UTC). */
  readonly timeZone?: string;
  /** Only values from this many days before the judged one form the baseline (default 56, eight weeks). */
  readonly windowDays?: number;
  /** What the value is, for messages: `daily bookings`, `row count of silver.bookings`. Default `value`. */
  readonly label?: string;
}

interface VerdictBase {
  readonly value: number;
  /** Whether the value was compared with same-weekday values only. */
  readonly seasonal: boolean;
  /** One sentence for a data steward. */
  readonly message: string;
}

/** The value was judged against a baseline. */
export interface JudgedVerdict extends VerdictBase {
  readonly status: 'ok' | 'anomaly';
  /** Values inside this closed range are usual. */
  readonly expectedRange: readonly [number, number];
  /** Median of the baseline. */
  readonly median: number;
  /**
   * The median absolute deviation the band is built from, unscaled: of the baseline or, when
   * seasonal, of the noise pooled over all weekdays at this weekday's level.
   */
  readonly mad: number;
  /**
   * |value − median| in robust standard deviations (widened for a short history): the value is
   * flagged when score > sensitivity. Absent when the baseline has no spread at all (every value 0).
   */
  readonly score?: number;
}

/** Too little history to judge; no guess is made. */
export interface InsufficientHistoryVerdict extends VerdictBase {
  readonly status: 'insufficient_history';
  /** Baseline values needed (same-weekday days when the lack is of same-weekday history). */
  readonly needed: number;
  /** Baseline values available. */
  readonly have: number;
}

export type AnomalyVerdict = JudgedVerdict | InsufficientHistoryVerdict;
