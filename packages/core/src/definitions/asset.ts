import type { DeltaTable, Engine } from '@strata/delta';
import type { CheckDefinition, Contract, MonitorDefinition } from '@strata/quality';
import type { ArrowTableLike } from '../execution/arrow.ts';
import type { Relation } from '../relation/relation.ts';
import type { Materialization } from './materialization.ts';
import type { PartitionsDefinition } from './partitions.ts';

/** Rows a TypeScript asset may yield: plain objects, one per row. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * What `compute` may return:
 * - an SQL query (string or `{ sql }`) run by DuckDB over upstream tables;
 * - a relation built with `ctx.relation(…)` (a lazy DuckDB query);
 * - an Apache Arrow table (column types are taken from its schema);
 * - rows: an array, an iterable or an async iterable of plain objects;
 * - nothing, for side-effect assets;
 * and, in object form, metadata to record with the materialization (row counts are added by Strata).
 */
export type ComputeOutput =
  | string
  | Relation
  | ArrowTableLike
  | { readonly sql: string; readonly metadata?: Readonly<Record<string, unknown>> }
  | { readonly rows: Iterable<Row> | AsyncIterable<Row>; readonly metadata?: Readonly<Record<string, unknown>> }
  | Iterable<Row>
  | AsyncIterable<Row>
  | void
  | { readonly metadata: Readonly<Record<string, unknown>>; readonly rowsWritten?: number };

/** Structured logging inside user code; every line is recorded as a run event of the asset. */
export interface AssetLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** What `compute` receives. */
export interface AssetContext<R extends object = Record<string, unknown>> {
  /** Full key `domain.layer.name`. */
  readonly key: string;
  readonly runId: string;
  /** Tags of the run (a sensor puts the new files it found in `files`, as a JSON list). */
  readonly runTags: Readonly<Record<string, string>>;
  /** The partition being materialized, for partitioned assets. */
  readonly partition?: string;
  /** The SQL predicate selecting the partition's rows, for partitioned assets. */
  readonly partitionPredicate?: string;
  readonly resources: R;
  readonly log: AssetLogger;
  /** Aborted when the run is canceled or the step times out; long computations should honour it. */
  readonly signal: AbortSignal;
  /**
   * The asset's own Delta tables, for assets that commit themselves (ingestion loads one batch per
   * commit). When compute returns no SQL or rows and the table changed, the asset's view is
   * refreshed and the new version recorded.
   */
  readonly lake: AssetLake;
  /**
   * A lazy relation over a table (`silver.bookings`) or an SQL query, to compose with filter,
   * project, aggregate, join… and return from compute.
   */
  relation(source: string): Relation;
  /** Runs SQL in the project's DuckDB session (upstream assets are visible as domain.layer.table). */
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
}

/** Direct access to the Delta tables an asset owns. */
export interface AssetLake {
  /** The step's DuckDB session. */
  readonly engine: Engine;
  /**
   * The asset's Delta table, or with `companion` its companion table `<name>__<companion>`
   * (e.g. `quarantine`), visible in SQL as `layer."<name>__<companion>"`.
   */
  table(companion?: string): Promise<DeltaTable>;
}

/** Retry policy of an asset step: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts after the first (default 0). */
  readonly maxRetries: number;
  /** First delay in ms (default 1000); doubles each retry up to `maxDelayMs` (default 60 000). */
  readonly delayMs?: number;
  readonly maxDelayMs?: number;
}

/** One asset: a table in the lakehouse, kept up to date by its compute function. */
export interface AssetDefinition<R extends object = Record<string, unknown>> {
  /** `domain.layer.name`, or `layer.name` inside a domain folder. */
  readonly key: string;
  /** Upstream assets (keys as above). SQL models infer them from the tables they read. */
  readonly deps?: readonly string[];
  readonly description?: string;
  readonly materialization?: Materialization;
  readonly partitions?: PartitionsDefinition;
  /** Partition columns of the Delta table (for large tables; independent of run partitions). */
  readonly partitionBy?: readonly string[];
  readonly tags?: readonly string[];
  readonly owner?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly retry?: RetryPolicy;
  /** Per-attempt timeout in ms. */
  readonly timeoutMs?: number;
  /**
   * Data-quality checks on the rows each materialization writes (see docs/quality.md): action
   * `fail` stops the commit, `drop` sends failing rows to the `__quarantine` table, `warn` records.
   */
  readonly checks?: readonly CheckDefinition[];
  /**
   * Column → DuckDB type to convert compute's (text) columns to. A value that does not convert is
   * not turned into NULL: its row goes to the quarantine table, raw, with the reason.
   */
  readonly casts?: Readonly<Record<string, string>>;
  /**
   * Record metrics (row count; per column null rate, distinct count, min, max, mean, standard
   * deviation) of the rows each materialization writes. Default true.
   */
  readonly metrics?: boolean;
  /** Anomaly monitors over those metrics' history (see docs/quality.md). */
  readonly monitors?: readonly MonitorDefinition[];
  readonly compute: (ctx: AssetContext<R>) => ComputeOutput | Promise<ComputeOutput>;
}

/**
 * Identity helper for typed asset definitions in TypeScript projects:
 * `export default defineAsset({ key: 'silver.bookings', deps: ['bronze.bookings'], compute: () => 'select …' })`.
 */
export function defineAsset<R extends object = Record<string, unknown>>(def: AssetDefinition<R>): AssetDefinition<R> {
  return def;
}

/** An asset definition after loading: full keys, where it came from, defaults applied. */
export interface ResolvedAsset {
  readonly key: string;
  readonly domain: string;
  readonly layer: string;
  readonly name: string;
  readonly deps: readonly string[];
  readonly description?: string;
  readonly materialization: Materialization;
  readonly partitions?: PartitionsDefinition;
  readonly partitionBy: readonly string[];
  readonly tags: readonly string[];
  readonly owner?: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly retry: RetryPolicy;
  readonly timeoutMs?: number;
  readonly checks: readonly CheckDefinition[];
  readonly casts: Readonly<Record<string, string>>;
  readonly metrics: boolean;
  readonly monitors: readonly MonitorDefinition[];
  /** The data contract governing the asset (its checks are part of `checks`). */
  readonly contract?: { readonly file: string; readonly contract: Contract };
  /** `typescript`, `sql` or the component name that produced it. */
  readonly kind: string;
  /** File the definition came from, for messages. */
  readonly source?: string;
  // The definition's compute takes the project's resources; they are checked when the project loads.
  readonly compute: (ctx: AssetContext<Record<string, unknown>>) => ComputeOutput | Promise<ComputeOutput>;
}
