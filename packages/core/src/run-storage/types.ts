/** Status of a run or of one asset step within it. */
export type RunStatus = 'queued' | 'running' | 'success' | 'failed' | 'canceled';

/** One execution of a selection of assets. */
export interface RunRecord {
  readonly runId: string;
  readonly status: RunStatus;
  /** What started it: `manual`, `schedule:<name>`, `sensor:<name>`, `backfill:<id>`, `reexecution`. */
  readonly trigger: string;
  /** The selection as given, e.g. `["+gold.revenue", "tag:pii"]`. */
  readonly selection: readonly string[];
  /** Asset keys the plan contained (with partition keys where partitioned, `key[partition]`). */
  readonly steps: readonly string[];
  readonly createdAt: Date;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  /** Run this one re-executes (failed and downstream steps of it). */
  readonly parentRunId?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Why the run failed or was canceled, for display. */
  readonly error?: string;
}

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** The closed set of event types a run records. */
export type RunEventType =
  | 'run_started'
  | 'run_succeeded'
  | 'run_failed'
  | 'run_canceled'
  | 'step_started'
  | 'step_succeeded'
  | 'step_failed'
  | 'step_skipped'
  | 'step_retry'
  | 'materialization'
  | 'check_result'
  | 'log';

/** One structured event of a run. `seq` is assigned by the storage, increasing within a run. */
export interface RunEvent {
  readonly runId: string;
  readonly seq?: number;
  readonly timestamp: Date;
  readonly type: RunEventType;
  readonly level: EventLevel;
  readonly assetKey?: string;
  readonly partition?: string;
  readonly message: string;
  /** Structured details (error stack, metadata, attempt number…); JSON-serializable. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A successful materialization of an asset (or one partition of it). */
export interface MaterializationRecord {
  readonly runId: string;
  readonly assetKey: string;
  readonly partition?: string;
  readonly timestamp: Date;
  /** Delta table version produced, when the asset is a table. */
  readonly tableVersion?: number;
  readonly rowsWritten?: number;
  /** User and platform metadata (JSON-serializable), e.g. `{ dashboard: "https://…" }`. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The result of one data-quality check on one asset (or partition). */
export interface CheckResultRecord {
  readonly runId: string;
  readonly assetKey: string;
  readonly partition?: string;
  readonly checkName: string;
  readonly timestamp: Date;
  readonly passed: boolean;
  readonly severity: 'warn' | 'error';
  readonly tableVersion?: number;
  readonly failingRows?: number;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface RunFilter {
  readonly status?: RunStatus;
  /** Runs whose plan contains this asset key. */
  readonly assetKey?: string;
  readonly trigger?: string;
  readonly limit?: number;
  /** Runs created strictly before this one (paging, newest first). */
  readonly before?: string;
}

export interface RunPatch {
  readonly status?: RunStatus;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly error?: string;
}

/**
 * The run-storage seam: runs, their events, materializations, check results and cursors
 * (sensor positions, schedule ticks). Implementations: in-memory (tests), SQLite (embedded
 * default) and PostgreSQL.
 *
 * Contract:
 * - `createRun` fails if the run id exists; `updateRun` and `appendEvents` fail for unknown runs.
 * - Events of a run are returned in `seq` order; `seq` starts at 1 and increases by 1 per event,
 *   assigned atomically even when several writers append to the same run.
 * - `listRuns` returns newest first (by creation time, then id).
 * - Lists of materializations and check results are newest first.
 * - `setCursor` is an atomic upsert; `getCursor` of an unknown name is undefined.
 * - `prune(olderThan)` deletes runs that ended before the date with their events, and returns how
 *   many runs it deleted; materializations and check results are kept (they are the asset history).
 * - Dates round-trip with at least millisecond precision.
 */
export interface RunStorage {
  createRun(run: RunRecord): Promise<void>;
  updateRun(runId: string, patch: RunPatch): Promise<RunRecord>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  appendEvents(events: readonly RunEvent[]): Promise<void>;
  events(runId: string, options?: { afterSeq?: number; limit?: number }): Promise<RunEvent[]>;
  addMaterialization(m: MaterializationRecord): Promise<void>;
  /** The newest materialization of an asset, of one partition when given. */
  latestMaterialization(assetKey: string, partition?: string): Promise<MaterializationRecord | undefined>;
  materializations(assetKey: string, options?: { limit?: number; partition?: string }): Promise<MaterializationRecord[]>;
  addCheckResult(r: CheckResultRecord): Promise<void>;
  checkResults(filter?: { assetKey?: string; runId?: string; limit?: number }): Promise<CheckResultRecord[]>;
  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string): Promise<void>;
  prune(olderThan: Date): Promise<number>;
  close(): Promise<void>;
}
