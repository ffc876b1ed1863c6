// How records are laid out in the PostgreSQL tables (see schema.ts), and back. node-postgres
// returns bigint columns as strings, timestamptz as Date and jsonb parsed.
import type {
  CheckResultRecord,
  EventLevel,
  MaterializationRecord,
  RunEvent,
  RunEventType,
  RunRecord,
  RunStatus,
} from '../types.ts';

export interface RunRow {
  readonly run_id: string;
  readonly status: string;
  readonly trigger: string;
  readonly selection: string[];
  readonly steps: string[];
  readonly created_at: Date;
  readonly started_at: Date | null;
  readonly ended_at: Date | null;
  readonly parent_run_id: string | null;
  readonly tags: Record<string, string>;
  readonly error: string | null;
}

export interface EventRow {
  readonly run_id: string;
  readonly seq: string;
  readonly occurred_at: Date;
  readonly type: string;
  readonly level: string;
  readonly asset_key: string | null;
  readonly partition_key: string | null;
  readonly message: string;
  readonly data: Record<string, unknown> | null;
}

export interface MaterializationRow {
  readonly run_id: string;
  readonly asset_key: string;
  readonly partition_key: string | null;
  readonly occurred_at: Date;
  readonly table_version: string | null;
  readonly rows_written: string | null;
  readonly metadata: Record<string, unknown>;
}

export interface CheckResultRow {
  readonly run_id: string;
  readonly asset_key: string;
  readonly partition_key: string | null;
  readonly check_name: string;
  readonly occurred_at: Date;
  readonly passed: boolean;
  readonly severity: string;
  readonly table_version: string | null;
  readonly failing_rows: string | null;
  readonly metadata: Record<string, unknown>;
}

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** Parameters $1…$11 of an insert into runs, in column order. */
export function runParams(r: RunRecord): unknown[] {
  return [
    r.runId,
    r.status,
    r.trigger,
    JSON.stringify(r.selection),
    JSON.stringify(r.steps),
    r.createdAt,
    opt(r.startedAt),
    opt(r.endedAt),
    opt(r.parentRunId),
    JSON.stringify(r.tags),
    opt(r.error),
  ];
}

export function toRun(r: RunRow): RunRecord {
  return {
    runId: r.run_id,
    status: r.status as RunStatus,
    trigger: r.trigger,
    selection: r.selection,
    steps: r.steps,
    createdAt: r.created_at,
    ...(r.started_at !== null && { startedAt: r.started_at }),
    ...(r.ended_at !== null && { endedAt: r.ended_at }),
    ...(r.parent_run_id !== null && { parentRunId: r.parent_run_id }),
    tags: r.tags,
    ...(r.error !== null && { error: r.error }),
  };
}

/** Columns of a batch of events as arrays, for an insert from unnest(…) in one statement. */
export function eventColumns(events: readonly RunEvent[], firstSeq: number): unknown[] {
  return [
    events.map((_, i) => firstSeq + i),
    events.map((e) => e.timestamp),
    events.map((e) => e.type),
    events.map((e) => e.level),
    events.map((e) => opt(e.assetKey)),
    events.map((e) => opt(e.partition)),
    events.map((e) => e.message),
    events.map((e) => (e.data === undefined ? null : JSON.stringify(e.data))),
  ];
}

export function toEvent(r: EventRow): RunEvent {
  return {
    runId: r.run_id,
    seq: Number(r.seq),
    timestamp: r.occurred_at,
    type: r.type as RunEventType,
    level: r.level as EventLevel,
    ...(r.asset_key !== null && { assetKey: r.asset_key }),
    ...(r.partition_key !== null && { partition: r.partition_key }),
    message: r.message,
    ...(r.data !== null && { data: r.data }),
  };
}

/** Parameters $1…$7 of an insert into materializations, in column order. */
export function materializationParams(m: MaterializationRecord): unknown[] {
  return [m.runId, m.assetKey, opt(m.partition), m.timestamp, opt(m.tableVersion), opt(m.rowsWritten), JSON.stringify(m.metadata)];
}

export function toMaterialization(r: MaterializationRow): MaterializationRecord {
  return {
    runId: r.run_id,
    assetKey: r.asset_key,
    ...(r.partition_key !== null && { partition: r.partition_key }),
    timestamp: r.occurred_at,
    ...(r.table_version !== null && { tableVersion: Number(r.table_version) }),
    ...(r.rows_written !== null && { rowsWritten: Number(r.rows_written) }),
    metadata: r.metadata,
  };
}

/** Parameters $1…$10 of an insert into check_results, in column order. */
export function checkResultParams(c: CheckResultRecord): unknown[] {
  return [
    c.runId,
    c.assetKey,
    opt(c.partition),
    c.checkName,
    c.timestamp,
    c.passed,
    c.severity,
    opt(c.tableVersion),
    opt(c.failingRows),
    JSON.stringify(c.metadata),
  ];
}

export function toCheckResult(r: CheckResultRow): CheckResultRecord {
  return {
    runId: r.run_id,
    assetKey: r.asset_key,
    ...(r.partition_key !== null && { partition: r.partition_key }),
    checkName: r.check_name,
    timestamp: r.occurred_at,
    passed: r.passed,
    severity: r.severity as CheckResultRecord['severity'],
    ...(r.table_version !== null && { tableVersion: Number(r.table_version) }),
    ...(r.failing_rows !== null && { failingRows: Number(r.failing_rows) }),
    metadata: r.metadata,
  };
}
