// How records are laid out in the SQLite tables (see schema.ts), and back.
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
  readonly selection: string;
  readonly steps: string;
  readonly created_at: number;
  readonly started_at: number | null;
  readonly ended_at: number | null;
  readonly parent_run_id: string | null;
  readonly tags: string;
  readonly error: string | null;
}

export interface EventRow {
  readonly run_id: string;
  readonly seq: number;
  readonly occurred_at: number;
  readonly type: string;
  readonly level: string;
  readonly asset_key: string | null;
  readonly partition_key: string | null;
  readonly message: string;
  readonly data: string | null;
}

export interface MaterializationRow {
  readonly run_id: string;
  readonly asset_key: string;
  readonly partition_key: string | null;
  readonly occurred_at: number;
  readonly table_version: number | null;
  readonly rows_written: number | null;
  readonly metadata: string;
}

export interface CheckResultRow {
  readonly run_id: string;
  readonly asset_key: string;
  readonly partition_key: string | null;
  readonly check_name: string;
  readonly occurred_at: number;
  readonly passed: number;
  readonly severity: string;
  readonly table_version: number | null;
  readonly failing_rows: number | null;
  readonly metadata: string;
}

type SqlValue = string | number | null;

const ms = (d: Date | undefined): number | null => (d === undefined ? null : d.getTime());
const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export function runParams(r: RunRecord): Record<string, SqlValue> {
  return {
    run_id: r.runId,
    status: r.status,
    trigger: r.trigger,
    selection: JSON.stringify(r.selection),
    steps: JSON.stringify(r.steps),
    created_at: r.createdAt.getTime(),
    started_at: ms(r.startedAt),
    ended_at: ms(r.endedAt),
    parent_run_id: opt(r.parentRunId),
    tags: JSON.stringify(r.tags),
    error: opt(r.error),
  };
}

export function toRun(r: RunRow): RunRecord {
  return {
    runId: r.run_id,
    status: r.status as RunStatus,
    trigger: r.trigger,
    selection: JSON.parse(r.selection) as string[],
    steps: JSON.parse(r.steps) as string[],
    createdAt: new Date(r.created_at),
    ...(r.started_at !== null && { startedAt: new Date(r.started_at) }),
    ...(r.ended_at !== null && { endedAt: new Date(r.ended_at) }),
    ...(r.parent_run_id !== null && { parentRunId: r.parent_run_id }),
    tags: JSON.parse(r.tags) as Record<string, string>,
    ...(r.error !== null && { error: r.error }),
  };
}

export function eventParams(e: RunEvent, seq: number): Record<string, SqlValue> {
  return {
    run_id: e.runId,
    seq,
    occurred_at: e.timestamp.getTime(),
    type: e.type,
    level: e.level,
    asset_key: opt(e.assetKey),
    partition_key: opt(e.partition),
    message: e.message,
    data: e.data === undefined ? null : JSON.stringify(e.data),
  };
}

export function toEvent(r: EventRow): RunEvent {
  return {
    runId: r.run_id,
    seq: r.seq,
    timestamp: new Date(r.occurred_at),
    type: r.type as RunEventType,
    level: r.level as EventLevel,
    ...(r.asset_key !== null && { assetKey: r.asset_key }),
    ...(r.partition_key !== null && { partition: r.partition_key }),
    message: r.message,
    ...(r.data !== null && { data: JSON.parse(r.data) as Record<string, unknown> }),
  };
}

export function materializationParams(m: MaterializationRecord): Record<string, SqlValue> {
  return {
    run_id: m.runId,
    asset_key: m.assetKey,
    partition_key: opt(m.partition),
    occurred_at: m.timestamp.getTime(),
    table_version: opt(m.tableVersion),
    rows_written: opt(m.rowsWritten),
    metadata: JSON.stringify(m.metadata),
  };
}

export function toMaterialization(r: MaterializationRow): MaterializationRecord {
  return {
    runId: r.run_id,
    assetKey: r.asset_key,
    ...(r.partition_key !== null && { partition: r.partition_key }),
    timestamp: new Date(r.occurred_at),
    ...(r.table_version !== null && { tableVersion: r.table_version }),
    ...(r.rows_written !== null && { rowsWritten: r.rows_written }),
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  };
}

export function checkResultParams(c: CheckResultRecord): Record<string, SqlValue> {
  return {
    run_id: c.runId,
    asset_key: c.assetKey,
    partition_key: opt(c.partition),
    check_name: c.checkName,
    occurred_at: c.timestamp.getTime(),
    passed: c.passed ? 1 : 0,
    severity: c.severity,
    table_version: opt(c.tableVersion),
    failing_rows: opt(c.failingRows),
    metadata: JSON.stringify(c.metadata),
  };
}

export function toCheckResult(r: CheckResultRow): CheckResultRecord {
  return {
    runId: r.run_id,
    assetKey: r.asset_key,
    ...(r.partition_key !== null && { partition: r.partition_key }),
    checkName: r.check_name,
    timestamp: new Date(r.occurred_at),
    passed: r.passed === 1,
    severity: r.severity as CheckResultRecord['severity'],
    ...(r.table_version !== null && { tableVersion: r.table_version }),
    ...(r.failing_rows !== null && { failingRows: r.failing_rows }),
    metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  };
}
