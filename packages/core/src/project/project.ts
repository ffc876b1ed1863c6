import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Engine } from '@strata/delta';
import { DuckDbEngine } from '@strata/delta';
import { openStore } from '@strata/storage';
import type { ComponentDefinition } from '../components/component.ts';
import type { ResolvedAsset } from '../definitions/asset.ts';
import { partitionKeys } from '../definitions/partitions.ts';
import { CoreError } from '../errors.ts';
import type { Plan, RunOutcome, StepRunner } from '../execution/index.ts';
import type { MaterializeEnv } from '../execution/materialize.ts';
import { checkAsset } from '../execution/check-asset.ts';
import { expectedCursor, observationId } from '../execution/monitors.ts';
import type { RunEvent, RunStorage } from '../run-storage/index.ts';
import { executePlan, materialize, planRun } from '../execution/index.ts';
import type { AssetGraph } from '../graph/asset-graph.ts';
import { resolveSelection } from '../graph/selection.ts';
import { companionOf } from '../definitions/asset-key.ts';
import { Lakehouse } from '../lakehouse/lakehouse.ts';
import type { BuiltResources } from '../resources/resource.ts';
import { buildResources } from '../resources/resource.ts';
import { openRunStorage } from '../run-storage/index.ts';
import type { ProjectConfig } from './config.ts';
import { projectPath } from './config.ts';
import { loadProject } from './load.ts';
import { tablesRead } from './sql-model.ts';
import { checkRecorder } from '../execution/check-recorder.ts';

export interface MaterializeOptions {
  /** Selection terms (see resolveSelection); all assets when empty. */
  readonly select?: readonly string[] | string;
  /** Partition keys for partitioned assets. */
  readonly partitions?: readonly string[];
  readonly trigger?: string;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: RunEvent) => void;
  readonly tags?: Readonly<Record<string, string>>;
  readonly parentRunId?: string;
}

export interface BackfillOptions extends Omit<MaterializeOptions, 'partitions' | 'trigger'> {
  /** First and last partition keys (default: the definition's start, and the last complete window). */
  readonly from?: string;
  readonly to?: string;
  /** Runs at once (default 2). */
  readonly parallelism?: number;
}

export interface BackfillResult {
  readonly backfillId: string;
  readonly partitions: readonly string[];
  readonly runs: ReadonlyMap<string, RunOutcome>;
}

export interface PartitionStatus {
  readonly partition: string;
  readonly status: 'materialized' | 'failed' | 'missing';
  readonly materializedAt?: Date;
  readonly tableVersion?: number;
  readonly lastRunId?: string;
}

/** An open Strata project: its asset graph, its lakehouse and its run history. */
export class StrataProject {
  private constructor(
    readonly dir: string,
    readonly config: ProjectConfig,
    readonly graph: AssetGraph,
    readonly lakehouse: Lakehouse,
    readonly runs: RunStorage,
    private readonly owned: { engine?: Engine; runs: boolean },
    private readonly resources: BuiltResources,
  ) {}

  /** Loads the project in `dir` and opens its lake and run storage. */
  static async open(dir: string, options: { engine?: Engine; runs?: RunStorage; components?: readonly ComponentDefinition[] } = {}): Promise<StrataProject> {
    const root = resolve(dir);
    const engine = options.engine ?? (await DuckDbEngine.create());
    try {
      const { config, graph } = await loadProject(root, engine, { components: options.components });
      const lake = openStore(projectPath(root, config.lake));
      let runs = options.runs;
      if (!runs) {
        const url = /^(postgres(ql)?|memory|sqlite):/.test(config.metadata) ? config.metadata : projectPath(root, config.metadata);
        if (!/^[a-z]+:/.test(url)) mkdirSync(dirname(url), { recursive: true });
        runs = await openRunStorage(url);
      }
      let resources: BuiltResources;
      try {
        resources = await buildResources(config.resourceModules, config.resources, root);
      } catch (e) {
        if (!options.runs) await runs.close();
        throw e;
      }
      return new StrataProject(
        root,
        config,
        graph,
        new Lakehouse(lake, engine),
        runs,
        { engine: options.engine ? undefined : engine, runs: options.runs === undefined },
        resources,
      );
    } catch (e) {
      if (!options.engine) await engine.close();
      throw e;
    }
  }

  get engine(): Engine {
    return this.lakehouse.engine;
  }

  /** Assets matching a selection, in dependency order. */
  select(selection?: readonly string[] | string): ResolvedAsset[] {
    const keys = resolveSelection(this.graph, selection);
    return this.graph.order.filter((k) => keys.has(k)).map((k) => this.graph.get(k));
  }

  /** Materializes the selected assets in one run; returns when the run ends. */
  async materialize(options: MaterializeOptions = {}): Promise<RunOutcome> {
    const selected = resolveSelection(this.graph, options.select);
    const plan = planRun(this.graph, selected, { partitions: options.partitions });
    // Upstream assets outside the plan are read through their views: point them at their tables.
    const outside = new Set(plan.steps.flatMap((s) => this.graph.get(s.key).deps).filter((d) => !selected.has(d)));
    return this.execute(plan, options, options.trigger ?? 'manual', outside, (env) => (step, attempt) => materialize(this.graph.get(step.key), step, env, attempt));
  }

  /**
   * Runs the checks of the selected assets on their current tables, without materializing
   * anything: one step per asset (per partition when partitions are given), recorded as a run
   * with trigger `check`. A failing blocking check fails its step.
   */
  async check(options: Omit<MaterializeOptions, 'trigger'> = {}): Promise<RunOutcome> {
    const keys = [...resolveSelection(this.graph, options.select)].filter((k) => this.graph.get(k).checks.length > 0);
    if (keys.length === 0) throw new CoreError('CORE_SELECTION', 'none of the selected assets has checks');
    const steps = keys.flatMap((key) => {
      const asset = this.graph.get(key);
      const parts = asset.partitions && options.partitions?.length ? options.partitions : [undefined];
      return parts.map((partition) => ({ id: partition === undefined ? key : `${key}[${partition}]`, key, partition, after: [] as string[] }));
    });
    const read = new Set(keys.flatMap((k) => [k, ...this.graph.get(k).deps]));
    return this.execute({ steps }, options, 'check', read, (env) => (step) => checkAsset(this.graph.get(step.key), step, env));
  }

  /**
   * Marks a monitor's flagged value as expected (e.g. a closure day announced in advance): it joins
   * the baseline later values are compared with, and judging it again (a partition run again) no
   * longer alarms. For a partitioned asset the mark is the partition's, whatever run judges it.
   */
  async markExpected(assetKey: string, checkName: string, runId: string, partition?: string): Promise<void> {
    const key = this.graph.has(assetKey) ? assetKey : this.select(assetKey)[0]?.key;
    if (!key) throw new CoreError('CORE_SELECTION', `no asset ${assetKey}`);
    const results = await this.runs.checkResults({ assetKey: key, runId });
    if (!results.some((r) => r.checkName === checkName && (partition === undefined || r.partition === partition))) {
      throw new CoreError('CORE_SELECTION', `run ${runId} has no result of ${checkName} on ${key}${partition ? `[${partition}]` : ''}`);
    }
    const cursor = expectedCursor(key, checkName);
    const marked = new Set<string>(JSON.parse((await this.runs.getCursor(cursor)) ?? '[]') as string[]);
    marked.add(observationId(runId, partition));
    await this.runs.setCursor(cursor, JSON.stringify([...marked]));
  }

  /** Records a run of `plan` and executes it with `runner`. */
  private async execute(
    plan: Plan,
    options: Omit<MaterializeOptions, 'trigger' | 'partitions'>,
    trigger: string,
    views: ReadonlySet<string>,
    runner: (env: MaterializeEnv) => StepRunner,
  ): Promise<RunOutcome> {
    const runId = randomUUID();
    await this.runs.createRun({
      runId,
      status: 'queued',
      trigger,
      selection: typeof options.select === 'string' ? [options.select] : [...(options.select ?? [])],
      steps: plan.steps.map((s) => s.id),
      createdAt: new Date(),
      tags: options.tags ?? {},
      ...(options.parentRunId ? { parentRunId: options.parentRunId } : {}),
    });
    await this.prepareViews(views);
    const env: MaterializeEnv = {
      lakehouse: this.lakehouse,
      runId,
      resources: this.resources.values,
      runTags: options.tags ?? {},
      recordCheck: checkRecorder(this.runs, runId, options.onEvent),
      runs: this.runs,
    };
    return executePlan({
      runId,
      storage: this.runs,
      plan,
      concurrency: options.concurrency ?? this.config.execution.concurrency,
      signal: options.signal,
      onEvent: options.onEvent,
      retryOf: (s) => this.graph.get(s.key).retry,
      timeoutOf: (s) => this.graph.get(s.key).timeoutMs,
      run: runner(env),
    });
  }

  /**
   * Materializes a range of partitions of the selected (partitioned) assets: one run per
   * partition, at most `parallelism` runs at once. The selected assets must share one partitions
   * definition.
   */
  async backfill(options: BackfillOptions): Promise<BackfillResult> {
    const assets = this.select(options.select);
    const unpartitioned = assets.filter((a) => !a.partitions);
    if (unpartitioned.length > 0) {
      throw new CoreError('CORE_SELECTION', `backfill needs partitioned assets; ${unpartitioned.map((a) => a.key).join(', ')} ${unpartitioned.length === 1 ? 'is' : 'are'} not partitioned`);
    }
    const def = assets[0]?.partitions;
    if (!def) throw new CoreError('CORE_SELECTION', 'backfill selection is empty');
    const other = assets.find((a) => JSON.stringify(a.partitions) !== JSON.stringify(def));
    if (other) throw new CoreError('CORE_SELECTION', `${other.key} has different partitions than ${assets[0]?.key}; backfill them separately`);
    const keys = partitionKeys(def, { from: options.from, to: options.to });
    const backfillId = randomUUID();
    const results = new Map<string, RunOutcome>();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < keys.length && !options.signal?.aborted; i = next++) {
        const key = keys[i] as string;
        results.set(
          key,
          await this.materialize({
            ...options,
            select: assets.map((a) => a.key),
            partitions: [key],
            trigger: `backfill:${backfillId}`,
            tags: { ...(options.tags ?? {}), backfill: backfillId, partition: key },
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallelism ?? 2, keys.length)) }, worker));
    return { backfillId, partitions: keys, runs: results };
  }

  /** Status of each partition of an asset: materialized (when, which version), failed, or missing. */
  async partitionStatus(key: string): Promise<PartitionStatus[]> {
    const asset = this.graph.get(key);
    if (!asset.partitions) throw new CoreError('CORE_SELECTION', `${key} is not partitioned`);
    const out: PartitionStatus[] = [];
    for (const p of partitionKeys(asset.partitions)) {
      const m = await this.runs.latestMaterialization(key, p);
      const [run] = await this.runs.listRuns({ assetKey: `${key}[${p}]`, limit: 1 });
      const failedLater = run && run.status === 'failed' && (!m || run.createdAt > m.timestamp);
      out.push({
        partition: p,
        status: failedLater ? 'failed' : m ? 'materialized' : 'missing',
        ...(m ? { materializedAt: m.timestamp, tableVersion: m.tableVersion } : {}),
        ...(run ? { lastRunId: run.runId } : {}),
      });
    }
    return out;
  }

  /** Runs again the steps of a run that failed, were skipped or canceled, and what depends on them. */
  async reexecute(runId: string, options: Omit<MaterializeOptions, 'select' | 'parentRunId'> = {}): Promise<RunOutcome> {
    const run = await this.runs.getRun(runId);
    if (!run) throw new CoreError('CORE_RUN_NOT_FOUND', `no run ${runId}`);
    const succeeded = new Set(
      (await this.runs.events(runId)).filter((e) => e.type === 'step_succeeded').map((e) => (e.partition === undefined ? e.assetKey : `${e.assetKey}[${e.partition}]`)),
    );
    const redo = run.steps.filter((s) => !succeeded.has(s));
    if (redo.length === 0) throw new CoreError('CORE_SELECTION', `run ${runId} has no failed or skipped step to re-execute`);
    const keys = [...new Set(redo.map((s) => s.replace(/\[.*\]$/, '')))];
    const partitions = [...new Set(redo.map((s) => /\[(.*)\]$/.exec(s)?.[1]).filter((p): p is string => p !== undefined))];
    return this.materialize({ ...options, select: keys, partitions, trigger: 'reexecution', parentRunId: runId });
  }

  /**
   * Runs SQL over the project's assets (`select … from silver.bookings`, or `domain.layer.table`)
   * and returns the rows. Only the assets the query reads are prepared.
   */
  async query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, domain?: string): Promise<T[]> {
    const home = domain ?? this.homeDomain();
    const refs = await tablesRead(this.engine, sql, 'query');
    const keys = refs
      .map((r) => (r.catalog ? `${r.catalog}.${r.schema}.${r.table}` : r.schema ? `${home}.${r.schema}.${r.table}` : ''))
      .filter((k) => this.graph.has(k) || this.graph.has(companionOf(k)));
    await this.prepareViews(new Set(keys));
    await this.lakehouse.useDomain(home);
    return this.engine.query<T>(sql);
  }

  /** Where `layer.table` resolves by default: the project's only domain, else its default domain. */
  homeDomain(): string {
    const domains = new Set(this.graph.assets().map((a) => a.domain));
    if (domains.size === 1) return [...domains][0] as string;
    return this.config.defaultDomain ?? this.config.name.replaceAll('-', '_');
  }

  /** Points the views of assets at their latest tables (SQL views are defined from their SQL). */
  async prepareViews(keys: Iterable<string>): Promise<void> {
    for (const key of keys) {
      if (!this.graph.has(key)) {
        // A companion table (`name__quarantine`) of an asset.
        await this.lakehouse.refreshView(key);
        continue;
      }
      const asset = this.graph.get(key);
      if (asset.materialization.kind === 'view' && typeof asset.metadata.sql === 'string') {
        await this.prepareViews(asset.deps);
        await this.lakehouse.useDomain(asset.domain);
        await this.lakehouse.defineView(key, asset.metadata.sql);
      } else {
        await this.lakehouse.refreshView(key);
      }
    }
  }

  async close(): Promise<void> {
    await this.resources.dispose();
    if (this.owned.runs) await this.runs.close();
    if (this.owned.engine) await this.owned.engine.close();
  }
}
