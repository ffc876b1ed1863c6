import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreError } from '../errors.ts';
import { openRunStorage } from '../run-storage/index.ts';
import type { StepResult } from './executor.ts';
import { backoff, executePlan } from './executor.ts';
import type { Plan, Step } from './plan.ts';
import { userCode } from './user-code.ts';

const step = (id: string, after: string[] = []): Step => ({ id, key: id, after });

async function run(plan: Plan, fn: (s: Step, attempt: number, signal: AbortSignal) => Promise<StepResult>, extra: Partial<Parameters<typeof executePlan>[0]> = {}) {
  const storage = await openRunStorage('memory:');
  const runId = `r-${Math.random()}`;
  await storage.createRun({ runId, status: 'queued', trigger: 'manual', selection: [], steps: plan.steps.map((s) => s.id), createdAt: new Date(), tags: {} });
  const outcome = await executePlan({ runId, storage, plan, run: (s, a) => fn(s, a.number, a.signal), ...extra });
  return { outcome, storage, runId };
}

describe('executor', () => {
  it('runs steps after their upstreams, in parallel up to the limit', async () => {
    let active = 0;
    let peak = 0;
    const order: string[] = [];
    const plan = { steps: [step('a'), step('b'), step('c'), step('d', ['a', 'b', 'c'])] };
    const { outcome, storage, runId } = await run(
      plan,
      async (s) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        order.push(s.id);
        active--;
        return { rowsWritten: 1 };
      },
      { concurrency: 2 },
    );
    assert.equal(outcome.status, 'success');
    assert.equal(peak, 2);
    assert.equal(order.at(-1), 'd');
    assert.equal((await storage.getRun(runId))?.status, 'success');
    assert.equal((await storage.materializations('d')).length, 1);
  });

  it('skips what is downstream of a failure and records user errors with their stack', async () => {
    const plan = { steps: [step('a'), step('b', ['a']), step('c')] };
    const { outcome, storage, runId } = await run(plan, async (s) => {
      if (s.id === 'a') return userCode('a', 'compute', () => {
        throw new Error('boom');
      });
      return {};
    });
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(Object.fromEntries(outcome.steps), { a: 'failed', b: 'skipped', c: 'success' });
    const failed = (await storage.events(runId)).find((e) => e.type === 'step_failed');
    assert.equal(failed?.data?.errorKind, 'user');
    assert.match(String(failed?.data?.stack), /boom/);
    assert.match(failed?.message ?? '', /a: compute threw: boom/);
  });

  it('retries with backoff, then succeeds', async () => {
    const attempts: number[] = [];
    const { outcome, storage, runId } = await run(
      { steps: [step('a')] },
      async (_s, attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new CoreError('CORE_STORAGE', 'flaky');
        return {};
      },
      { retryOf: () => ({ maxRetries: 3, delayMs: 1 }) },
    );
    assert.equal(outcome.status, 'success');
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal((await storage.events(runId)).filter((e) => e.type === 'step_retry').length, 2);
  });

  it('times out an attempt and cancels a run, aborting running steps', async () => {
    const slow = (signal: AbortSignal) => new Promise<StepResult>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const timed = await run({ steps: [step('a')] }, async (_s, _n, signal) => slow(signal), { timeoutOf: () => 30 });
    assert.equal(timed.outcome.status, 'failed');
    const ev = (await timed.storage.events(timed.runId)).find((e) => e.type === 'step_failed');
    assert.equal(ev?.data?.code, 'CORE_TIMEOUT');

    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    setTimeout(() => controller.abort(), 30);
    const canceled = await run(
      { steps: [step('a'), step('b', ['a'])] },
      async (_s, _n, signal) => {
        seen.push(signal);
        return slow(signal);
      },
      { signal: controller.signal },
    );
    assert.equal(canceled.outcome.status, 'canceled');
    assert.equal(seen[0]?.aborted, true, 'the running step saw the abort');
    assert.deepEqual(Object.fromEntries(canceled.outcome.steps), { a: 'canceled', b: 'canceled' });
    assert.equal((await canceled.storage.getRun(canceled.runId))?.status, 'canceled');
  });

  it('computes full-jitter exponential backoff', () => {
    assert.equal(backoff({ maxRetries: 5, delayMs: 100 }, 1, () => 1), 100);
    assert.equal(backoff({ maxRetries: 5, delayMs: 100 }, 3, () => 1), 400);
    assert.equal(backoff({ maxRetries: 5, delayMs: 100, maxDelayMs: 250 }, 3, () => 1), 250);
    assert.equal(backoff({ maxRetries: 5, delayMs: 100 }, 3, () => 0), 0);
  });

  it('records no materialization for a step that says it stored nothing (a check)', async () => {
    const plan = { steps: [step('asset'), { id: 'check', key: 'asset', after: ['asset'] }] };
    const { outcome, storage, runId } = await run(plan, async (s) => (s.id === 'check' ? { materialized: false } : { rowsWritten: 3 }));
    assert.equal(outcome.status, 'success');
    assert.deepEqual((await storage.materializations('asset')).map((m) => [m.runId, m.rowsWritten]), [[runId, 3]]);
    assert.equal((await storage.events(runId)).filter((e) => e.type === 'step_succeeded').length, 2);
  });
});
