import { runExists, runNotFound } from '../errors.ts';
import { checkCount, checkDate, checkEvents, checkPatch, checkRecord, checkRun, eventsByRun, runAssetKeys } from '../records.ts';
import type {
  CheckResultRecord,
  MaterializationRecord,
  RunEvent,
  RunFilter,
  RunPatch,
  RunRecord,
  RunStorage,
} from '../types.ts';
import type { MemoryRunStorageConfig } from './config.ts';
import { closed } from './errors.ts';

interface StoredRun {
  record: RunRecord;
  readonly assetKeys: ReadonlySet<string>;
  readonly events: RunEvent[];
}

/**
 * Run storage held in memory, for tests. It keeps copies of what it is given and hands out copies,
 * with JSON values passed through JSON as the database implementations do, so it behaves like them.
 */
export class MemoryRunStorage implements RunStorage {
  readonly name: string;
  private readonly runs = new Map<string, StoredRun>();
  private readonly materializationLog: MaterializationRecord[] = [];
  private readonly checkLog: CheckResultRecord[] = [];
  private readonly cursors = new Map<string, string>();
  private isClosed = false;

  constructor(config: MemoryRunStorageConfig = {}) {
    this.name = config.name ?? 'default';
  }

  async createRun(run: RunRecord): Promise<void> {
    this.open();
    checkRun(run);
    if (this.runs.has(run.runId)) throw runExists(run.runId);
    this.runs.set(run.runId, { record: copyRun(run), assetKeys: new Set(runAssetKeys(run.steps)), events: [] });
  }

  async updateRun(runId: string, patch: RunPatch): Promise<RunRecord> {
    this.open();
    checkPatch(patch);
    const stored = this.runs.get(runId);
    if (!stored) throw runNotFound(runId);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as RunPatch;
    stored.record = copyRun({ ...stored.record, ...defined });
    return copyRun(stored.record);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.open();
    const stored = this.runs.get(runId);
    return stored && copyRun(stored.record);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    this.open();
    checkCount('limit', filter.limit);
    let runs = [...this.runs.values()];
    if (filter.before !== undefined) {
      const before = this.runs.get(filter.before);
      if (!before) throw runNotFound(filter.before);
      runs = runs.filter((r) => compareRuns(r.record, before.record) > 0);
    }
    return runs
      .filter(
        (r) =>
          (filter.status === undefined || r.record.status === filter.status) &&
          (filter.trigger === undefined || r.record.trigger === filter.trigger) &&
          (filter.assetKey === undefined || r.assetKeys.has(filter.assetKey)),
      )
      .map((r) => r.record)
      .sort(compareRuns)
      .slice(0, filter.limit)
      .map(copyRun);
  }

  async appendEvents(events: readonly RunEvent[]): Promise<void> {
    this.open();
    checkEvents(events);
    const byRun = eventsByRun(events);
    for (const runId of byRun.keys()) if (!this.runs.has(runId)) throw runNotFound(runId);
    for (const [runId, list] of byRun) {
      const stored = this.runs.get(runId) as StoredRun;
      for (const e of list) stored.events.push(copyEvent(e, stored.events.length + 1));
    }
  }

  async events(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    this.open();
    checkCount('afterSeq', options.afterSeq);
    checkCount('limit', options.limit);
    const events = this.runs.get(runId)?.events ?? [];
    return events
      .slice(options.afterSeq ?? 0)
      .slice(0, options.limit)
      .map((e) => copyEvent(e, e.seq as number));
  }

  async addMaterialization(m: MaterializationRecord): Promise<void> {
    this.open();
    checkRecord(m);
    this.materializationLog.push(copyMaterialization(m));
  }

  async latestMaterialization(assetKey: string, partition?: string): Promise<MaterializationRecord | undefined> {
    return (await this.materializations(assetKey, { limit: 1, partition }))[0];
  }

  async materializations(assetKey: string, options: { limit?: number; partition?: string } = {}): Promise<MaterializationRecord[]> {
    this.open();
    checkCount('limit', options.limit);
    const matching = this.materializationLog.filter(
      (m) => m.assetKey === assetKey && (options.partition === undefined || m.partition === options.partition),
    );
    return newestFirst(matching).slice(0, options.limit).map(copyMaterialization);
  }

  async addCheckResult(r: CheckResultRecord): Promise<void> {
    this.open();
    checkRecord(r);
    this.checkLog.push(copyCheckResult(r));
  }

  async checkResults(filter: { assetKey?: string; runId?: string; limit?: number } = {}): Promise<CheckResultRecord[]> {
    this.open();
    checkCount('limit', filter.limit);
    const matching = this.checkLog.filter(
      (r) => (filter.assetKey === undefined || r.assetKey === filter.assetKey) && (filter.runId === undefined || r.runId === filter.runId),
    );
    return newestFirst(matching).slice(0, filter.limit).map(copyCheckResult);
  }

  async getCursor(name: string): Promise<string | undefined> {
    this.open();
    return this.cursors.get(name);
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.open();
    this.cursors.set(name, value);
  }

  async prune(olderThan: Date): Promise<number> {
    this.open();
    checkDate('olderThan', olderThan);
    let deleted = 0;
    for (const [runId, stored] of this.runs) {
      const endedAt = stored.record.endedAt;
      if (endedAt !== undefined && endedAt.getTime() < olderThan.getTime()) {
        this.runs.delete(runId);
        deleted++;
      }
    }
    return deleted;
  }

  async close(): Promise<void> {
    this.isClosed = true;
  }

  private open(): void {
    if (this.isClosed) throw closed(this.name);
  }
}

/** Newest first by creation time, then by run id, comparing ids by code point as the databases do. */
function compareRuns(a: RunRecord, b: RunRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || Buffer.compare(Buffer.from(b.runId), Buffer.from(a.runId));
}

/** Newest first by timestamp; of equal timestamps, the last added first. */
function newestFirst<T extends { readonly timestamp: Date }>(records: readonly T[]): T[] {
  return [...records].reverse().sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
}

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function copyRun(r: RunRecord): RunRecord {
  return {
    runId: r.runId,
    status: r.status,
    trigger: r.trigger,
    selection: [...r.selection],
    steps: [...r.steps],
    createdAt: new Date(r.createdAt),
    ...(r.startedAt !== undefined && { startedAt: new Date(r.startedAt) }),
    ...(r.endedAt !== undefined && { endedAt: new Date(r.endedAt) }),
    ...(r.parentRunId !== undefined && { parentRunId: r.parentRunId }),
    tags: json(r.tags),
    ...(r.error !== undefined && { error: r.error }),
  };
}

function copyEvent(e: RunEvent, seq: number): RunEvent {
  return {
    runId: e.runId,
    seq,
    timestamp: new Date(e.timestamp),
    type: e.type,
    level: e.level,
    ...(e.assetKey !== undefined && { assetKey: e.assetKey }),
    ...(e.partition !== undefined && { partition: e.partition }),
    message: e.message,
    ...(e.data !== undefined && { data: json(e.data) }),
  };
}

function copyMaterialization(m: MaterializationRecord): MaterializationRecord {
  return {
    runId: m.runId,
    assetKey: m.assetKey,
    ...(m.partition !== undefined && { partition: m.partition }),
    timestamp: new Date(m.timestamp),
    ...(m.tableVersion !== undefined && { tableVersion: m.tableVersion }),
    ...(m.rowsWritten !== undefined && { rowsWritten: m.rowsWritten }),
    metadata: json(m.metadata),
  };
}

function copyCheckResult(r: CheckResultRecord): CheckResultRecord {
  return {
    runId: r.runId,
    assetKey: r.assetKey,
    ...(r.partition !== undefined && { partition: r.partition }),
    checkName: r.checkName,
    timestamp: new Date(r.timestamp),
    passed: r.passed,
    severity: r.severity,
    ...(r.tableVersion !== undefined && { tableVersion: r.tableVersion }),
    ...(r.failingRows !== undefined && { failingRows: r.failingRows }),
    metadata: json(r.metadata),
  };
}
