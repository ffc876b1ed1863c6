import type { MonitorDefinition, TableMetrics } from '@strata/quality';
import { detectAnomaly, metricSeries, monitorOptions } from '@strata/quality';
import type { ResolvedAsset } from '../definitions/asset.ts';
import { partitionWindow } from '../definitions/partitions.ts';
import type { RunStorage } from '../run-storage/index.ts';
import type { CheckRecorder } from './quality-gate.ts';

/** The check name a monitor's verdicts are recorded under: `monitor:row_count`, `monitor:null_rate:email`. */
export function monitorName(m: MonitorDefinition): string {
  if (m.name) return m.name;
  return m.metric === 'row_count' ? 'monitor:row_count' : `monitor:${m.metric.stat}:${m.metric.column}`;
}

/** Run storage cursor listing the values of a monitor a steward marked as expected. */
export function expectedCursor(assetKey: string, checkName: string): string {
  return `expected:${assetKey}:${checkName}`;
}

/** What a mark names: a partition (whatever run judges it), or a run of an unpartitioned asset. */
export function observationId(runId: string, partition: string | undefined): string {
  return partition === undefined ? `run:${runId}` : `partition:${partition}`;
}

function metricValue(metrics: TableMetrics | undefined, metric: MonitorDefinition['metric']): number | undefined {
  return metrics ? metricSeries([{ at: new Date(0), metrics }], metric)[0]?.value : undefined;
}

/** When a materialization's values are from: its partition's start, else when it was written. */
function observedAt(asset: ResolvedAsset, partition: string | undefined, timestamp: Date): Date {
  const window = asset.partitions && partition !== undefined ? partitionWindow(asset.partitions, partition) : undefined;
  return window?.start ?? timestamp;
}

/**
 * Judges the asset's monitors against the history of its materializations' metrics (median and
 * MAD, by weekday when there is enough history; values marked expected are part of the baseline,
 * values flagged before are not) and records each verdict as a check result. Monitors alert; they
 * do not block (the data they judge is committed): severity sets how the alert is recorded.
 */
export async function judgeMonitors(
  asset: ResolvedAsset,
  where: { runId: string; partition?: string; tableVersion?: number; metrics: TableMetrics },
  runs: RunStorage,
  record: CheckRecorder | undefined,
): Promise<void> {
  if (asset.monitors.length === 0) return;
  const past = (await runs.materializations(asset.key, { limit: 1000 })).filter((m) => m.runId !== where.runId);
  const results = await runs.checkResults({ assetKey: asset.key, limit: 5000 });
  for (const monitor of asset.monitors) {
    const name = monitorName(monitor);
    const current = metricValue(where.metrics, monitor.metric);
    if (current === undefined) continue;
    const marked = new Set<string>(JSON.parse((await runs.getCursor(expectedCursor(asset.key, name))) ?? '[]') as string[]);
    const flagged = new Set(results.filter((r) => r.checkName === name && !r.passed).map((r) => observationId(r.runId, r.partition)));
    const history = past.flatMap((m) => {
      const value = metricValue(m.metadata.metrics as TableMetrics | undefined, monitor.metric);
      if (value === undefined) return [];
      const id = observationId(m.runId, m.partition);
      return [{ at: observedAt(asset, m.partition, m.timestamp), value, expected: marked.has(id), anomalous: flagged.has(id) }];
    });
    const expected = marked.has(observationId(where.runId, where.partition));
    const verdict = detectAnomaly(history, { at: observedAt(asset, where.partition, new Date()), value: current, expected }, monitorOptions(monitor, asset.key));
    const severity = monitor.severity ?? 'warn';
    const passed = verdict.status !== 'anomaly';
    await record?.(
      {
        name,
        type: 'monitor',
        severity,
        action: 'warn',
        blocking: false,
        passed,
        message: verdict.message,
        metrics: {
          value: verdict.value,
          status: verdict.status,
          ...(verdict.status === 'insufficient_history' ? { needed: verdict.needed, have: verdict.have } : { low: verdict.expectedRange[0], high: verdict.expectedRange[1], median: verdict.median }),
          seasonal: verdict.seasonal ? 'weekday' : 'none',
        },
      },
      { asset, partition: where.partition, tableVersion: where.tableVersion },
    );
  }
}
