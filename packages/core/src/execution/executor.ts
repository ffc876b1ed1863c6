import type { RetryPolicy } from '../definitions/asset.ts';
import { CoreError } from '../errors.ts';
import type { EventLevel, RunEvent, RunEventType, RunStorage } from '../run-storage/index.ts';
import type { Plan, Step } from './plan.ts';
import { isUserError } from './user-code.ts';

/** What a step produced, recorded as its materialization. */
export interface StepResult {
  readonly tableVersion?: number;
  readonly rowsWritten?: number;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** False for a step that stores nothing (a check): no materialization is recorded for it. */
  readonly materialized?: boolean;
}

/** Runs one step; receives the abort signal of the attempt and a logger bound to the step. */
export type StepRunner = (step: Step, attempt: { signal: AbortSignal; number: number; log: StepLog }) => Promise<StepResult>;
export type StepLog = (level: EventLevel, message: string, data?: Record<string, unknown>) => void;

export interface ExecuteOptions {
  readonly runId: string;
  readonly storage: RunStorage;
  readonly plan: Plan;
  readonly run: StepRunner;
  /** Steps running at once (default 4). */
  readonly concurrency?: number;
  readonly retryOf?: (step: Step) => RetryPolicy;
  readonly timeoutOf?: (step: Step) => number | undefined;
  /** Aborting stops new steps, aborts running ones, and ends the run as canceled. */
  readonly signal?: AbortSignal;
  /** Called with every recorded event (progress display). */
  readonly onEvent?: (e: RunEvent) => void;
}

export type StepStatus = 'success' | 'failed' | 'skipped' | 'canceled';

export interface RunOutcome {
  readonly runId: string;
  readonly status: 'success' | 'failed' | 'canceled';
  readonly steps: ReadonlyMap<string, StepStatus>;
}

/**
 * Executes a plan: steps start when their upstream steps succeeded, at most `concurrency` at a time;
 * failed attempts are retried with exponential backoff and full jitter; each attempt may time out;
 * steps downstream of a failure are skipped. Every transition is recorded in run storage.
 */
export async function executePlan(options: ExecuteOptions): Promise<RunOutcome> {
  const { runId, storage, plan } = options;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const status = new Map<string, StepStatus>();
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const pending = new Set(plan.steps.map((s) => s.id));
  const running = new Map<string, Promise<void>>();

  const record = async (type: RunEventType, level: EventLevel, message: string, step?: Step, data?: Record<string, unknown>) => {
    const e: RunEvent = { runId, timestamp: new Date(), type, level, message, assetKey: step?.key, partition: step?.partition, data };
    await storage.appendEvents([e]);
    options.onEvent?.(e);
  };

  await storage.updateRun(runId, { status: 'running', startedAt: new Date() });
  await record('run_started', 'info', `run started: ${plan.steps.length} step(s)`);

  const runStep = async (step: Step) => {
    const policy = options.retryOf?.(step) ?? { maxRetries: 0 };
    for (let attempt = 1; ; attempt++) {
      const controller = new AbortController();
      const onAbort = () => controller.abort(new CoreError('CORE_CANCELED', 'run canceled'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const timeout = options.timeoutOf?.(step);
      const timer =
        timeout === undefined
          ? undefined
          : setTimeout(() => controller.abort(new CoreError('CORE_TIMEOUT', `${step.id} timed out after ${timeout} ms`)), timeout);
      const started = Date.now();
      await record('step_started', 'info', `${step.id} started${attempt > 1 ? ` (attempt ${attempt})` : ''}`, step, { attempt });
      try {
        const log: StepLog = (level, message, data) => {
          void record('log', level, message, step, data).catch(() => undefined);
        };
        const result = await abortable(options.run(step, { signal: controller.signal, number: attempt, log }), controller.signal);
        if (result.materialized !== false) {
          await storage.addMaterialization({
            runId,
            assetKey: step.key,
            partition: step.partition,
            timestamp: new Date(),
            tableVersion: result.tableVersion,
            rowsWritten: result.rowsWritten,
            metadata: result.metadata ?? {},
          });
        }
        await record('step_succeeded', 'info', `${step.id} succeeded in ${Date.now() - started} ms`, step, {
          durationMs: Date.now() - started,
          tableVersion: result.tableVersion,
          rowsWritten: result.rowsWritten,
        });
        status.set(step.id, 'success');
        return;
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const canceled = options.signal?.aborted === true;
        const details = errorDetails(err);
        if (canceled) {
          await record('step_failed', 'warn', `${step.id} canceled`, step, details);
          status.set(step.id, 'canceled');
          return;
        }
        if (attempt <= policy.maxRetries) {
          const delay = backoff(policy, attempt);
          await record('step_retry', 'warn', `${step.id} failed (${err.message}); retry ${attempt}/${policy.maxRetries} in ${delay} ms`, step, { ...details, delayMs: delay });
          if (await sleep(delay, options.signal)) continue;
          status.set(step.id, 'canceled');
          return;
        }
        await record('step_failed', 'error', `${step.id} failed: ${err.message}`, step, details);
        status.set(step.id, 'failed');
        return;
      } finally {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    }
  };

  while (pending.size > 0 || running.size > 0) {
    if (!options.signal?.aborted) {
      for (const id of [...pending]) {
        if (running.size >= concurrency) break;
        const step = byId.get(id) as Step;
        const blocked = step.after.find((a) => status.has(a) && status.get(a) !== 'success');
        if (blocked) {
          pending.delete(id);
          status.set(id, 'skipped');
          await record('step_skipped', 'warn', `${id} skipped: upstream ${blocked} ${status.get(blocked)}`, step, { upstream: blocked });
          continue;
        }
        if (step.after.every((a) => status.get(a) === 'success')) {
          pending.delete(id);
          running.set(id, runStep(step).finally(() => running.delete(id)));
        }
      }
    } else if (pending.size > 0) {
      for (const id of pending) status.set(id, 'canceled');
      pending.clear();
    }
    if (running.size === 0) {
      if (pending.size > 0 && !options.signal?.aborted) {
        // Unreachable for a valid plan: every pending step waits on a step that never ran.
        throw new CoreError('CORE_INVALID_DEFINITION', `steps cannot start: ${[...pending].join(', ')}`);
      }
      continue;
    }
    await Promise.race(running.values());
  }

  const values = [...status.values()];
  const final = options.signal?.aborted ? 'canceled' : values.every((s) => s === 'success') ? 'success' : 'failed';
  const failedSteps = [...status].filter(([, s]) => s === 'failed').map(([id]) => id);
  const message =
    final === 'success' ? 'run succeeded' : final === 'canceled' ? 'run canceled' : `run failed: ${failedSteps.join(', ') || 'steps skipped'}`;
  await record(final === 'success' ? 'run_succeeded' : final === 'canceled' ? 'run_canceled' : 'run_failed', final === 'success' ? 'info' : 'error', message);
  await storage.updateRun(runId, { status: final, endedAt: new Date(), ...(final === 'success' ? {} : { error: message }) });
  return { runId, status: final, steps: status };
}

/** Full-jitter exponential backoff: a random delay up to min(max, base · 2^(attempt-1)). */
export function backoff(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const base = policy.delayMs ?? 1000;
  const cap = Math.min(policy.maxDelayMs ?? 60_000, base * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

function errorDetails(err: Error): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  const user = isUserError(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  return {
    errorKind: user ? 'user' : 'platform',
    ...(typeof code === 'string' ? { code } : {}),
    stack: user ? ((err as CoreError).userStack ?? cause?.stack) : err.stack,
  };
}

/** Resolves with the promise, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Sleeps; resolves false if the signal aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
