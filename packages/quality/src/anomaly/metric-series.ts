import type { TableMetrics } from './metrics.ts';

/** Column statistics a monitor can follow. */
export const COLUMN_STATS = ['null_rate', 'distinct', 'mean', 'min', 'max', 'stddev'] as const;
export type ColumnStat = (typeof COLUMN_STATS)[number];

/** A metric of an asset: its row count, or one statistic of one column. */
export type MetricRef = 'row_count' | { readonly column: string; readonly stat: ColumnStat };

/** Metrics recorded at one materialization. */
export interface MetricsRecord {
  readonly at: Date;
  readonly metrics: TableMetrics;
}

const STAT_KEYS = { null_rate: 'nullRate', distinct: 'distinct', mean: 'mean', min: 'min', max: 'max', stddev: 'stddev' } as const;

/**
 * One metric over time, sorted by time, ready for `detectAnomaly` or `monitorSeries`. Records in
 * which the metric is absent or not a finite number (a column that was not measured, the min of a
 * text column, the mean of an all-NULL column) are left out.
 */
export function metricSeries(history: readonly MetricsRecord[], metric: MetricRef): { at: Date; value: number }[] {
  const out: { at: Date; value: number }[] = [];
  for (const { at, metrics } of history) {
    const value = metric === 'row_count' ? metrics.rowCount : metrics.columns[metric.column]?.[STAT_KEYS[metric.stat]];
    if (typeof value === 'number' && Number.isFinite(value)) out.push({ at, value });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

const STAT_NAMES = { null_rate: 'null rate', distinct: 'distinct count', mean: 'mean', min: 'minimum', max: 'maximum', stddev: 'standard deviation' } as const;

/** How a metric is named in messages: `row count`, `null rate of email`, `row count of parks.silver.bookings`. */
export function metricLabel(metric: MetricRef, subject?: string): string {
  const of = subject === undefined ? '' : metric === 'row_count' ? ` of ${subject}` : ` in ${subject}`;
  return `${metric === 'row_count' ? 'row count' : `${STAT_NAMES[metric.stat]} of ${metric.column}`}${of}`;
}
