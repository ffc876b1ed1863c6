import type { RunEvent, RunStorage } from '../run-storage/index.ts';
import type { CheckRecorder, RecordedCheck } from './quality-gate.ts';

/**
 * Records check outcomes of a run: a check result in run storage (with the failing-row count, a
 * sample and the metrics) and a `check_result` event, passed on to `onEvent`.
 */
export function checkRecorder(runs: RunStorage, runId: string, onEvent?: (e: RunEvent) => void): CheckRecorder {
  return async (o: RecordedCheck, where) => {
    const timestamp = new Date();
    await runs.addCheckResult({
      runId,
      assetKey: where.asset.key,
      ...(where.partition !== undefined ? { partition: where.partition } : {}),
      checkName: o.name,
      timestamp,
      passed: o.passed,
      severity: o.severity,
      ...(where.tableVersion !== undefined ? { tableVersion: where.tableVersion } : {}),
      ...(o.failingRows !== undefined ? { failingRows: o.failingRows } : {}),
      metadata: {
        type: o.type,
        action: o.action,
        blocking: o.blocking,
        message: o.message,
        ...(o.description ? { description: o.description } : {}),
        ...(o.metrics ? { metrics: o.metrics } : {}),
        ...(o.sample ? { sample: o.sample } : {}),
      },
    });
    const event: RunEvent = {
      runId,
      timestamp,
      type: 'check_result',
      level: o.passed ? 'info' : o.severity === 'error' ? 'error' : 'warn',
      assetKey: where.asset.key,
      ...(where.partition !== undefined ? { partition: where.partition } : {}),
      message: `${o.name}: ${o.passed ? 'passed' : o.message}`,
      data: { check: o.name, passed: o.passed, failingRows: o.failingRows ?? 0, action: o.action },
    };
    await runs.appendEvents([event]);
    onEvent?.(event);
  };
}
