import { detectAnomaly } from './detect.ts';
import { resolveOptions } from './options.ts';
import type { AnomalyVerdict, DetectOptions, Observation } from './types.ts';

/** A verdict on one point of a series. */
export type SeriesVerdict = AnomalyVerdict & { readonly at: Date };

/** An observation of a series being monitored; `anomalous` is ignored, it is what the monitor decides. */
export type SeriesObservation = Pick<Observation, 'at' | 'value' | 'expected'>;

/**
 * Runs `detectAnomaly` over a whole series in time order, each point against the points before it,
 * as the monitor would have judged them one materialization at a time: points it flags (and no
 * steward marked expected) are left out of later baselines. For backtesting a monitor's settings.
 * Returns one verdict per observation, sorted by time; non-finite values are skipped.
 */
export function monitorSeries(observations: readonly SeriesObservation[], options: DetectOptions = {}): SeriesVerdict[] {
  const points = observations.filter((p) => Number.isFinite(p.value)).sort((a, b) => a.at.getTime() - b.at.getTime());
  const windowMs = resolveOptions(options).windowDays * 86_400_000;
  const history: Observation[] = [];
  let first = 0;
  return points.map((point) => {
    // Points older than the window never count again; passing only the rest keeps a backtest proportional to its length.
    while (first < history.length && (history[first] as Observation).at.getTime() < point.at.getTime() - windowMs) first++;
    const verdict = detectAnomaly(history.slice(first), point, options);
    history.push({ at: point.at, value: point.value, expected: point.expected, anomalous: verdict.status === 'anomaly' });
    return { ...verdict, at: point.at };
  });
}
