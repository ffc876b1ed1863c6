// What every run-storage implementation checks and derives the same way.
import type { CheckResultRecord, MaterializationRecord, RunEvent, RunPatch, RunRecord } from './types.ts';
import { invalidArgument } from './errors.ts';

/** Fails with CORE_INVALID_ARGUMENT unless `value` is absent or a non-negative integer. */
export function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw invalidArgument(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Fails with CORE_INVALID_ARGUMENT unless `value` is absent or a valid Date. */
export function checkDate(name: string, value: Date | undefined): void {
  if (value !== undefined && !(value instanceof Date && Number.isFinite(value.getTime()))) {
    throw invalidArgument(`${name} must be a valid Date, got ${String(value)}`);
  }
}

export function checkRun(run: RunRecord): void {
  checkDate('createdAt', run.createdAt);
  checkDate('startedAt', run.startedAt);
  checkDate('endedAt', run.endedAt);
}

export function checkPatch(patch: RunPatch): void {
  checkDate('startedAt', patch.startedAt);
  checkDate('endedAt', patch.endedAt);
}

export function checkEvents(events: readonly RunEvent[]): void {
  for (const e of events) checkDate('event timestamp', e.timestamp);
}

export function checkRecord(r: MaterializationRecord | CheckResultRecord): void {
  checkDate('timestamp', r.timestamp);
}

/**
 * The asset keys a run's plan contains: its steps without partition suffixes (`key[partition]` → `key`),
 * each once, in plan order. `listRuns({ assetKey })` matches these.
 */
export function runAssetKeys(steps: readonly string[]): string[] {
  return [...new Set(steps.map((s) => /^(.+?)\[.*\]$/s.exec(s)?.[1] ?? s))];
}

/** Groups events by run, keeping the runs in first-seen order and each run's events in the given order. */
export function eventsByRun(events: readonly RunEvent[]): Map<string, RunEvent[]> {
  const byRun = new Map<string, RunEvent[]>();
  for (const e of events) {
    const list = byRun.get(e.runId);
    if (list) list.push(e);
    else byRun.set(e.runId, [e]);
  }
  return byRun;
}
