import { openStore } from '@strata/storage';
import { partitionKeyAt } from '../definitions/partitions.ts';
import type { RunOutcome } from '../execution/index.ts';
import { resolveSelection } from '../graph/selection.ts';
import { projectPath } from '../project/config.ts';
import type { MaterializeOptions, StrataProject } from '../project/project.ts';
import type { SeenFiles } from './new-files.ts';
import { findNewFiles } from './new-files.ts';
import { cronOf, dueTick } from './schedules.ts';

/** A run the daemon started, and why. */
export interface LaunchedRun {
  readonly trigger: string;
  readonly outcome: RunOutcome;
}

export interface DaemonOptions {
  /** Clock, for tests. */
  readonly now?: () => Date;
  readonly onLaunch?: (trigger: string, selection: readonly string[]) => void;
  readonly onRun?: (run: LaunchedRun) => void;
  readonly onError?: (what: string, error: unknown) => void;
  readonly materialize?: Omit<MaterializeOptions, 'select' | 'trigger' | 'tags' | 'partitions'>;
}

const toList = (s: string | readonly string[]) => (typeof s === 'string' ? [s] : [...s]);

/**
 * Evaluates a project's schedules, sensors and freshness automation and launches runs. Every
 * decision is persisted as a cursor in run storage before the run starts, so a restarted daemon
 * neither repeats a tick nor loses a file it has not launched a run for.
 */
export class Daemon {
  private readonly lastSensorCheck = new Map<string, number>();

  constructor(
    private readonly project: StrataProject,
    private readonly options: DaemonOptions = {},
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** One evaluation of everything; returns the runs it launched, after they ended. */
  async tick(): Promise<LaunchedRun[]> {
    const launched: Promise<LaunchedRun | undefined>[] = [];
    const guard = (what: string, p: Promise<LaunchedRun | undefined>) =>
      p.catch((e: unknown) => {
        this.options.onError?.(what, e);
        return undefined;
      });
    for (const s of this.project.config.schedules) launched.push(guard(`schedule ${s.name}`, this.schedule(s)));
    for (const s of this.project.config.sensors) launched.push(guard(`sensor ${s.name}`, this.sensor(s)));
    this.project.config.automation.forEach((a, i) => launched.push(guard(`automation ${i + 1}`, this.automation(a, i))));
    const retention = this.project.config.runRetentionDays;
    if (retention) await this.project.runs.prune(new Date(this.now().getTime() - retention * 86_400_000));
    return (await Promise.all(launched)).filter((r): r is LaunchedRun => r !== undefined);
  }

  /** Ticks every `intervalMs` until the signal aborts; runs launched by a tick finish before the next. */
  async run(signal: AbortSignal, intervalMs = 1000): Promise<void> {
    while (!signal.aborted) {
      await this.tick();
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, intervalMs);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  }

  private async launch(trigger: string, select: readonly string[], extra: Partial<MaterializeOptions> = {}): Promise<LaunchedRun> {
    this.options.onLaunch?.(trigger, select);
    const outcome = await this.project.materialize({ ...this.options.materialize, ...extra, select, trigger });
    const run = { trigger, outcome };
    this.options.onRun?.(run);
    return run;
  }

  private async schedule(s: (typeof this.project.config.schedules)[number]): Promise<LaunchedRun | undefined> {
    const name = `schedule:${s.name}`;
    const now = this.now();
    const cursor = await this.project.runs.getCursor(name);
    if (cursor === undefined) {
      // A new schedule starts from now: it does not run for ticks before it existed.
      await this.project.runs.setCursor(name, now.toISOString());
      return undefined;
    }
    const tick = dueTick(cronOf(s.cron, s.timezone, `schedule ${s.name}`), new Date(cursor), now);
    if (!tick) return undefined;
    await this.project.runs.setCursor(name, tick.toISOString());
    const select = toList(s.select);
    let partitions: string[] | undefined;
    if (s.partition === 'latest') {
      const def = this.project.select(select).find((a) => a.partitions)?.partitions;
      // The last complete window is the one before the window containing the tick.
      if (def && def.kind !== 'static') partitions = [partitionKeyAt(def, new Date(tick.getTime() - 1))];
    }
    return this.launch(name, select, { partitions, tags: { schedule: s.name, tick: tick.toISOString() } });
  }

  private async sensor(s: (typeof this.project.config.sensors)[number]): Promise<LaunchedRun | undefined> {
    const now = this.now().getTime();
    if (now - (this.lastSensorCheck.get(s.name) ?? 0) < s.interval_seconds * 1000) return undefined;
    this.lastSensorCheck.set(s.name, now);
    const name = `sensor:${s.name}`;
    const raw = await this.project.runs.getCursor(name);
    const seen = raw ? (JSON.parse(raw) as SeenFiles) : {};
    const store = openStore(projectPath(this.project.dir, s.path));
    const found = await findNewFiles(store, s.pattern, seen);
    await this.project.runs.setCursor(name, JSON.stringify(found.seen));
    if (found.files.length === 0) return undefined;
    return this.launch(name, toList(s.select), {
      tags: { sensor: s.name, location: store.root, files: JSON.stringify(found.files) },
    });
  }

  private async automation(a: (typeof this.project.config.automation)[number], index: number): Promise<LaunchedRun | undefined> {
    if (a.cron) {
      const name = `automation:${index}`;
      const now = this.now();
      const cursor = await this.project.runs.getCursor(name);
      await this.project.runs.setCursor(name, now.toISOString());
      if (cursor === undefined || !dueTick(cronOf(a.cron, a.timezone, `automation ${index + 1}`), new Date(cursor), now)) return undefined;
    }
    const stale: string[] = [];
    const graph = this.project.graph;
    const selected = resolveSelection(graph, toList(a.select));
    for (const key of graph.order) {
      if (!selected.has(key)) continue;
      const asset = graph.get(key);
      if (asset.partitions || asset.deps.length === 0) continue;
      const mine = await this.project.runs.latestMaterialization(key);
      for (const d of asset.deps) {
        const up = await this.project.runs.latestMaterialization(d);
        if (up && (!mine || up.timestamp > mine.timestamp)) {
          stale.push(key);
          break;
        }
      }
    }
    if (stale.length === 0) return undefined;
    return this.launch('automation', stale, { tags: { automation: String(index + 1) } });
  }
}
