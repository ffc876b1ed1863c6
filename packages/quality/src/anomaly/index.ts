export { collectMetrics } from './metrics.ts';
export type { CollectMetricsOptions, ColumnMetrics, TableMetrics } from './metrics.ts';
export { detectAnomaly, smallSampleWidening } from './detect.ts';
export { monitorSeries } from './monitor-series.ts';
export type { SeriesObservation, SeriesVerdict } from './monitor-series.ts';
export { COLUMN_STATS, metricLabel, metricSeries } from './metric-series.ts';
export type { ColumnStat, MetricRef, MetricsRecord } from './metric-series.ts';
export { MonitorMetricSchema, MonitorSchema, monitorOptions, parseMonitor } from './monitor-schema.ts';
export type { MonitorDefinition, ParsedMonitor } from './monitor-schema.ts';
export { robustSpread } from './robust-stats.ts';
export type { RobustSpread } from './robust-stats.ts';
export type {
  AnomalyVerdict,
  CurrentObservation,
  DetectOptions,
  InsufficientHistoryVerdict,
  JudgedVerdict,
  Observation,
  Seasonality,
} from './types.ts';
