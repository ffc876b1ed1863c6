import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { isCoreError } from '../errors.ts';
import type { CoreError, CoreErrorCode } from '../errors.ts';
import type { CheckResultRecord, MaterializationRecord, RunEvent, RunRecord, RunStorage } from './types.ts';

/** Asserts that `promise` rejects with a CoreError of `code`, and returns that error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: CoreErrorCode): Promise<CoreError> {
  const err: unknown = await promise.then(
    () => assert.fail(`expected CoreError ${code}, but the call succeeded`),
    (e: unknown) => e,
  );
  assert.ok(isCoreError(err, code), `expected CoreError ${code}, got ${String(err)}`);
  return err;
}

const at = (iso: string) => new Date(iso);

function run(runId: string, fields: Partial<RunRecord> = {}): RunRecord {
  return { runId, status: 'queued', trigger: 'manual', selection: ['*'], steps: ['parks.bronze.bookings'], createdAt: at('2026-01-01T00:00:00.000Z'), tags: {}, ...fields };
}

function event(runId: string, message: string, fields: Partial<RunEvent> = {}): RunEvent {
  return { runId, timestamp: at('2026-01-01T00:00:01.000Z'), type: 'log', level: 'info', message, ...fields };
}

function materialization(assetKey: string, timestamp: string, fields: Partial<MaterializationRecord> = {}): MaterializationRecord {
  return { runId: 'r1', assetKey, timestamp: at(timestamp), metadata: {}, ...fields };
}

function checkResult(checkName: string, timestamp: string, fields: Partial<CheckResultRecord> = {}): CheckResultRecord {
  return { runId: 'r1', assetKey: 'parks.silver.bookings', checkName, timestamp: at(timestamp), passed: true, severity: 'error', metadata: {}, ...fields };
}

const ids = (records: readonly { runId: string }[]) => records.map((r) => r.runId);

/**
 * The RunStorage contract (see types.ts) as a test suite, run once per implementation. `open` is
 * called once per test and must return a storage that is empty; each test closes it at the end.
 *
 * Where the contract leaves room, the suite pins the behaviour all implementations share:
 * - `listRuns({ assetKey })` matches runs whose steps contain the key, with or without a
 *   `[partition]` suffix; `before` naming an unknown run fails with CORE_RUN_NOT_FOUND.
 * - `appendEvents` is all or nothing: one unknown run fails the whole batch. A `seq` given by the
 *   caller is ignored. `events` of an unknown run is empty.
 * - "Newest first" breaks timestamp ties by insertion: the last added comes first.
 * - Limits, `afterSeq` and dates are checked: CORE_INVALID_ARGUMENT for a negative or fractional
 *   number or an invalid Date.
 * - JSON values (tags, event data, metadata) come back equal after a JSON round trip.
 * - After `close`, calls fail with CORE_STORAGE; closing again does nothing.
 */
export function describeRunStorageContract(name: string, open: () => Promise<RunStorage>): void {
  describe(`RunStorage contract: ${name}`, () => {
    const fresh = async (t: TestContext): Promise<RunStorage> => {
      const storage = await open();
      t.after(() => storage.close());
      return storage;
    };

    it('createRun then getRun returns the run as given; getRun of an unknown id is undefined', async (t) => {
      const s = await fresh(t);
      const full = run('run-full', {
        status: 'failed',
        trigger: 'schedule:nightly',
        selection: ['+gold.revenue', 'tag:pii'],
        steps: ['parks.bronze.bookings', 'parks.silver.visits[2026-01-02]'],
        createdAt: at('2026-01-02T03:04:05.678Z'),
        startedAt: at('2026-01-02T03:04:06.001Z'),
        endedAt: at('2026-01-02T03:10:00.999Z'),
        parentRunId: 'run-parent',
        tags: { owner: 'parks', team: 'data' },
        error: 'step parks.silver.visits failed',
      });
      const minimal = run('run-minimal');
      await s.createRun(full);
      await s.createRun(minimal);
      assert.deepEqual(await s.getRun('run-full'), full);
      assert.deepEqual(await s.getRun('run-minimal'), minimal);
      assert.equal(await s.getRun('run-missing'), undefined);
    });

    it('createRun fails with CORE_RUN_EXISTS for a taken id and keeps the first run', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('dup', { trigger: 'manual' }));
      const err = await rejectsWithCode(s.createRun(run('dup', { trigger: 'schedule:other' })), 'CORE_RUN_EXISTS');
      assert.match(err.message, /dup/);
      assert.equal(err.retryable, false);
      assert.equal((await s.getRun('dup'))?.trigger, 'manual');
      assert.deepEqual(ids(await s.listRuns()), ['dup']);
    });

    it('updateRun applies the given fields, keeps the others and returns the run', async (t) => {
      const s = await fresh(t);
      const original = run('r', { tags: { a: '1' } });
      await s.createRun(original);
      const started = await s.updateRun('r', { status: 'running', startedAt: at('2026-01-01T00:00:01.500Z') });
      assert.deepEqual(started, { ...original, status: 'running', startedAt: at('2026-01-01T00:00:01.500Z') });
      const ended = await s.updateRun('r', { status: 'failed', endedAt: at('2026-01-01T00:01:00.000Z'), error: 'boom' });
      assert.deepEqual(ended, { ...started, status: 'failed', endedAt: at('2026-01-01T00:01:00.000Z'), error: 'boom' });
      assert.deepEqual(await s.updateRun('r', {}), ended);
      assert.deepEqual(await s.getRun('r'), ended);
    });

    it('updateRun and appendEvents fail with CORE_RUN_NOT_FOUND for an unknown run', async (t) => {
      const s = await fresh(t);
      const err = await rejectsWithCode(s.updateRun('nope', { status: 'running' }), 'CORE_RUN_NOT_FOUND');
      assert.match(err.message, /nope/);
      assert.equal(err.retryable, false);
      assert.match((await rejectsWithCode(s.appendEvents([event('nope', 'x')]), 'CORE_RUN_NOT_FOUND')).message, /nope/);
      assert.equal(await s.getRun('nope'), undefined);
    });

    it('listRuns returns newest first by creation time, then by run id (code point order)', async (t) => {
      const s = await fresh(t);
      const tie = at('2026-02-01T00:00:00.000Z');
      for (const r of [
        run('r-old', { createdAt: at('2026-01-01T00:00:00.000Z') }),
        run('r-new', { createdAt: at('2026-03-01T00:00:00.000Z') }),
        run('tie-B', { createdAt: tie }),
        run('tie-a', { createdAt: tie }),
        run('tie-_', { createdAt: tie }),
        run('r-mid-ms', { createdAt: at('2026-02-01T00:00:00.001Z') }),
      ]) {
        await s.createRun(r);
      }
      assert.deepEqual(ids(await s.listRuns()), ['r-new', 'r-mid-ms', 'tie-a', 'tie-_', 'tie-B', 'r-old']);
    });

    it('listRuns filters by status, trigger and asset key, alone and combined', async (t) => {
      const s = await fresh(t);
      const day = (d: number) => at(`2026-01-0${d}T00:00:00.000Z`);
      await s.createRun(run('a', { createdAt: day(1), trigger: 'manual', steps: ['parks.bronze.bookings', 'parks.silver.visits[2026-01-01]'] }));
      await s.createRun(run('b', { createdAt: day(2), trigger: 'schedule:nightly', steps: ['parks.silver.visits'] }));
      await s.createRun(run('c', { createdAt: day(3), trigger: 'schedule:nightly', steps: ['parks.silver.visits_daily', 'parks.gold.kpis'] }));
      await s.createRun(run('d', { createdAt: day(4), trigger: 'sensor:files', steps: [] }));
      await s.updateRun('b', { status: 'success' });
      await s.updateRun('c', { status: 'failed' });

      assert.deepEqual(ids(await s.listRuns({ status: 'queued' })), ['d', 'a']);
      assert.deepEqual(ids(await s.listRuns({ status: 'success' })), ['b']);
      assert.deepEqual(ids(await s.listRuns({ status: 'canceled' })), []);
      assert.deepEqual(ids(await s.listRuns({ trigger: 'schedule:nightly' })), ['c', 'b']);
      assert.deepEqual(ids(await s.listRuns({ trigger: 'schedule' })), []);
      assert.deepEqual(ids(await s.listRuns({ assetKey: 'parks.silver.visits' })), ['b', 'a']);
      assert.deepEqual(ids(await s.listRuns({ assetKey: 'parks.gold.kpis' })), ['c']);
      assert.deepEqual(ids(await s.listRuns({ assetKey: 'parks.silver' })), []);
      assert.deepEqual(ids(await s.listRuns({ trigger: 'schedule:nightly', assetKey: 'parks.silver.visits' })), ['b']);
      assert.deepEqual(ids(await s.listRuns({ trigger: 'schedule:nightly', status: 'failed', assetKey: 'parks.gold.kpis' })), ['c']);
      assert.deepEqual(ids(await s.listRuns({ trigger: 'manual', status: 'failed' })), []);
    });

    it('listRuns pages with limit and before', async (t) => {
      const s = await fresh(t);
      for (let i = 0; i < 7; i++) {
        await s.createRun(run(`p${i}`, { createdAt: at(`2026-01-01T00:00:0${i}.000Z`), trigger: i % 2 ? 'odd' : 'even' }));
      }
      await s.createRun(run('p3-twin', { createdAt: at('2026-01-01T00:00:03.000Z'), trigger: 'odd' }));
      const all = ids(await s.listRuns());
      assert.deepEqual(all, ['p6', 'p5', 'p4', 'p3-twin', 'p3', 'p2', 'p1', 'p0']);

      const paged: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = ids(await s.listRuns({ limit: 3, ...(before !== undefined && { before }) }));
        assert.ok(page.length <= 3);
        paged.push(...page);
        if (page.length < 3) break;
        before = page[2];
      }
      assert.deepEqual(paged, all);
      assert.deepEqual(ids(await s.listRuns({ before: 'p3-twin' })), ['p3', 'p2', 'p1', 'p0']);
      assert.deepEqual(ids(await s.listRuns({ before: 'p3' })), ['p2', 'p1', 'p0']);
      assert.deepEqual(ids(await s.listRuns({ before: 'p4', trigger: 'odd', limit: 1 })), ['p3-twin']);
      assert.deepEqual(ids(await s.listRuns({ before: 'p0' })), []);
      assert.deepEqual(ids(await s.listRuns({ limit: 0 })), []);
      assert.deepEqual(ids(await s.listRuns({ limit: 100 })), all);
      const err = await rejectsWithCode(s.listRuns({ before: 'gone' }), 'CORE_RUN_NOT_FOUND');
      assert.match(err.message, /gone/);
    });

    it('limits, afterSeq and dates are checked', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('r'));
      for (const limit of [-1, 1.5, Number.NaN]) {
        await rejectsWithCode(s.listRuns({ limit }), 'CORE_INVALID_ARGUMENT');
        await rejectsWithCode(s.events('r', { limit }), 'CORE_INVALID_ARGUMENT');
        await rejectsWithCode(s.materializations('a', { limit }), 'CORE_INVALID_ARGUMENT');
        await rejectsWithCode(s.checkResults({ limit }), 'CORE_INVALID_ARGUMENT');
      }
      await rejectsWithCode(s.events('r', { afterSeq: -1 }), 'CORE_INVALID_ARGUMENT');
      const invalid = new Date(Number.NaN);
      assert.match((await rejectsWithCode(s.createRun(run('bad', { createdAt: invalid })), 'CORE_INVALID_ARGUMENT')).message, /createdAt/);
      await rejectsWithCode(s.updateRun('r', { endedAt: invalid }), 'CORE_INVALID_ARGUMENT');
      await rejectsWithCode(s.appendEvents([event('r', 'x', { timestamp: invalid })]), 'CORE_INVALID_ARGUMENT');
      await rejectsWithCode(s.addMaterialization(materialization('a', '2026-01-01T00:00:00Z', { timestamp: invalid })), 'CORE_INVALID_ARGUMENT');
      await rejectsWithCode(s.addCheckResult(checkResult('c', '2026-01-01T00:00:00Z', { timestamp: invalid })), 'CORE_INVALID_ARGUMENT');
      await rejectsWithCode(s.prune(invalid), 'CORE_INVALID_ARGUMENT');
      assert.equal(await s.getRun('bad'), undefined);
      assert.equal((await s.getRun('r'))?.endedAt, undefined);
      assert.deepEqual(await s.events('r'), []);
      assert.deepEqual(await s.materializations('a'), []);
      assert.deepEqual(await s.checkResults(), []);
    });

    it('appendEvents numbers each run from 1 in the order given, ignoring a seq from the caller', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('a'));
      await s.createRun(run('b'));
      const first = [
        event('a', 'a1', { type: 'run_started', seq: 99 }),
        event('b', 'b1'),
        event('a', 'a2', { type: 'step_started', level: 'debug', assetKey: 'parks.silver.visits', partition: '2026-01-02' }),
        event('b', 'b2', { type: 'step_failed', level: 'error', data: { attempt: 2 } }),
        event('a', 'a3', { type: 'materialization', level: 'warn', assetKey: 'parks.silver.visits' }),
      ];
      await s.appendEvents(first);
      await s.appendEvents([event('a', 'a4'), event('a', 'a5')]);
      const expected = (runId: string, list: readonly RunEvent[]) => list.filter((e) => e.runId === runId).map((e, i) => ({ ...e, seq: i + 1 }));
      assert.deepEqual(await s.events('a'), expected('a', [...first, event('a', 'a4'), event('a', 'a5')]));
      assert.deepEqual(await s.events('b'), expected('b', first));
      await s.appendEvents([]);
      assert.equal((await s.events('a')).length, 5);
    });

    it('appendEvents is all or nothing: an unknown run fails the batch and leaves no gap', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('a'));
      await s.appendEvents([event('a', 'a1')]);
      const err = await rejectsWithCode(s.appendEvents([event('a', 'a2'), event('ghost', 'g1'), event('a', 'a3')]), 'CORE_RUN_NOT_FOUND');
      assert.match(err.message, /ghost/);
      assert.deepEqual((await s.events('a')).map((e) => [e.seq, e.message]), [[1, 'a1']]);
      await s.appendEvents([event('a', 'a4')]);
      assert.deepEqual((await s.events('a')).map((e) => [e.seq, e.message]), [[1, 'a1'], [2, 'a4']]);
      assert.deepEqual(await s.events('ghost'), []);
    });

    it('assigns seqs atomically under 20 concurrent appendEvents calls', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('busy'));
      await Promise.all(
        Array.from({ length: 20 }, (_, call) =>
          s.appendEvents([0, 1, 2].map((n) => event('busy', `call ${call} event ${n}`, { data: { call, n } }))),
        ),
      );
      const events = await s.events('busy');
      assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 60 }, (_, i) => i + 1));
      for (let i = 0; i < events.length; i += 3) {
        const call = events[i]?.data?.call;
        // One call's events are contiguous and in the order given.
        assert.deepEqual(events.slice(i, i + 3).map((e) => e.data), [0, 1, 2].map((n) => ({ call, n })));
      }
      assert.equal(new Set(events.map((e) => e.data?.call)).size, 20);
    });

    it('concurrent batches over the same runs in opposite orders all succeed', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('left'));
      await s.createRun(run('right'));
      await Promise.all(
        Array.from({ length: 20 }, (_, call) => {
          const order = call % 2 ? ['left', 'right'] : ['right', 'left'];
          return s.appendEvents(order.map((runId) => event(runId, `call ${call}`)));
        }),
      );
      for (const runId of ['left', 'right']) {
        const events = await s.events(runId);
        assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 20 }, (_, i) => i + 1));
        assert.equal(new Set(events.map((e) => e.message)).size, 20);
      }
    });

    it('events pages with afterSeq and limit', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('r'));
      await s.appendEvents(Array.from({ length: 10 }, (_, i) => event('r', `e${i + 1}`)));
      const seqs = async (options: { afterSeq?: number; limit?: number }) => (await s.events('r', options)).map((e) => e.seq);
      assert.deepEqual(await seqs({ afterSeq: 3, limit: 4 }), [4, 5, 6, 7]);
      assert.deepEqual(await seqs({ afterSeq: 7 }), [8, 9, 10]);
      assert.deepEqual(await seqs({ limit: 2 }), [1, 2]);
      assert.deepEqual(await seqs({ afterSeq: 0 }), Array.from({ length: 10 }, (_, i) => i + 1));
      assert.deepEqual(await seqs({ afterSeq: 10 }), []);
      assert.deepEqual(await seqs({ afterSeq: 50 }), []);
      assert.deepEqual(await seqs({ limit: 0 }), []);
      assert.deepEqual((await s.events('r', { afterSeq: 9 }))[0]?.message, 'e10');
    });

    it('materializations: the latest per asset and per partition, lists newest first', async (t) => {
      const s = await fresh(t);
      const visits = 'parks.silver.visits';
      const m1 = materialization(visits, '2026-01-02T00:00:00.000Z', { partition: '2026-01-01', runId: 'r1', tableVersion: 1, rowsWritten: 10 });
      const m2 = materialization(visits, '2026-01-04T00:00:00.000Z', { partition: '2026-01-02', runId: 'r2', tableVersion: 3 });
      const m3 = materialization(visits, '2026-01-03T00:00:00.000Z', { partition: '2026-01-01', runId: 'r3', tableVersion: 2, metadata: { rerun: true } });
      const other = materialization('parks.gold.kpis', '2026-01-09T00:00:00.000Z', { rowsWritten: 0 });
      for (const m of [m1, m2, m3, other]) await s.addMaterialization(m);

      assert.deepEqual(await s.latestMaterialization(visits), m2);
      assert.deepEqual(await s.latestMaterialization(visits, '2026-01-01'), m3);
      assert.deepEqual(await s.latestMaterialization(visits, '2026-01-02'), m2);
      assert.equal(await s.latestMaterialization(visits, '2026-01-05'), undefined);
      assert.equal(await s.latestMaterialization('parks.silver.nothing'), undefined);
      assert.deepEqual(await s.latestMaterialization('parks.gold.kpis'), other);
      assert.deepEqual(await s.materializations(visits), [m2, m3, m1]);
      assert.deepEqual(await s.materializations(visits, { limit: 2 }), [m2, m3]);
      assert.deepEqual(await s.materializations(visits, { partition: '2026-01-01' }), [m3, m1]);
      assert.deepEqual(await s.materializations(visits, { partition: '2026-01-01', limit: 1 }), [m3]);
      assert.deepEqual(await s.materializations('parks.silver.nothing'), []);

      const tie = materialization(visits, '2026-01-04T00:00:00.000Z', { partition: '2026-01-02', runId: 'r4' });
      await s.addMaterialization(tie);
      assert.deepEqual(await s.latestMaterialization(visits, '2026-01-02'), tie);
      assert.deepEqual(ids(await s.materializations(visits)), ['r4', 'r2', 'r3', 'r1']);
    });

    it('checkResults filter by asset and run, newest first, with a limit', async (t) => {
      const s = await fresh(t);
      const c1 = checkResult('not_null', '2026-01-01T00:00:00.000Z', { runId: 'r1' });
      const c2 = checkResult('unique', '2026-01-01T00:00:02.000Z', { runId: 'r1', passed: false, severity: 'warn', failingRows: 3, tableVersion: 7, partition: '2026-01-01' });
      const c3 = checkResult('row_count', '2026-01-01T00:00:01.000Z', { runId: 'r2', assetKey: 'parks.gold.kpis', metadata: { rows: 12 } });
      const c4 = checkResult('not_null', '2026-01-02T00:00:00.000Z', { runId: 'r2' });
      for (const c of [c1, c2, c3, c4]) await s.addCheckResult(c);

      assert.deepEqual(await s.checkResults(), [c4, c2, c3, c1]);
      assert.deepEqual(await s.checkResults({ limit: 2 }), [c4, c2]);
      assert.deepEqual(await s.checkResults({ assetKey: 'parks.silver.bookings' }), [c4, c2, c1]);
      assert.deepEqual(await s.checkResults({ runId: 'r2' }), [c4, c3]);
      assert.deepEqual(await s.checkResults({ runId: 'r1', assetKey: 'parks.silver.bookings', limit: 1 }), [c2]);
      assert.deepEqual(await s.checkResults({ runId: 'r1', assetKey: 'parks.gold.kpis' }), []);
      assert.deepEqual(await s.checkResults({ runId: 'r9' }), []);

      const tie = checkResult('late', '2026-01-02T00:00:00.000Z', { runId: 'r3' });
      await s.addCheckResult(tie);
      assert.deepEqual((await s.checkResults({ limit: 2 })).map((c) => c.checkName), ['late', 'not_null']);
    });

    it('cursors: unknown names are undefined; setCursor upserts, also concurrently', async (t) => {
      const s = await fresh(t);
      assert.equal(await s.getCursor('sensor:files'), undefined);
      await s.setCursor('sensor:files', 'a.csv');
      await s.setCursor('schedule:nightly', '2026-01-01T00:00:00Z');
      await s.setCursor('sensor:files', 'b.csv');
      assert.equal(await s.getCursor('sensor:files'), 'b.csv');
      assert.equal(await s.getCursor('schedule:nightly'), '2026-01-01T00:00:00Z');
      await s.setCursor('empty', '');
      assert.equal(await s.getCursor('empty'), '');

      const values = Array.from({ length: 10 }, (_, i) => `v${i}`);
      await Promise.all(values.map((v) => s.setCursor('contended', v)));
      assert.ok(values.includes((await s.getCursor('contended')) ?? ''));
    });

    it('prune deletes runs that ended before the date with their events, and keeps materializations and check results', async (t) => {
      const s = await fresh(t);
      const cutoff = at('2026-06-01T00:00:00.000Z');
      const created = at('2026-01-01T00:00:00.000Z');
      await s.createRun(run('old', { createdAt: created, endedAt: at('2026-05-31T23:59:59.999Z'), status: 'success', steps: ['parks.silver.visits'] }));
      await s.createRun(run('older', { createdAt: created, endedAt: at('2026-01-02T00:00:00.000Z'), status: 'failed' }));
      await s.createRun(run('at-cutoff', { createdAt: created, endedAt: cutoff, status: 'success' }));
      await s.createRun(run('recent', { createdAt: created, endedAt: at('2026-07-01T00:00:00.000Z'), status: 'success' }));
      await s.createRun(run('running', { createdAt: created, status: 'running' }));
      for (const id of ['old', 'older', 'at-cutoff', 'recent', 'running']) await s.appendEvents([event(id, `${id} 1`), event(id, `${id} 2`)]);
      const m = materialization('parks.silver.visits', '2026-05-31T00:00:00.000Z', { runId: 'old' });
      const c = checkResult('not_null', '2026-05-31T00:00:00.000Z', { runId: 'old' });
      await s.addMaterialization(m);
      await s.addCheckResult(c);

      assert.equal(await s.prune(cutoff), 2);
      assert.equal(await s.getRun('old'), undefined);
      assert.equal(await s.getRun('older'), undefined);
      assert.deepEqual(await s.events('old'), []);
      assert.deepEqual(ids(await s.listRuns()).sort(), ['at-cutoff', 'recent', 'running']);
      assert.deepEqual(ids(await s.listRuns({ assetKey: 'parks.silver.visits' })), []);
      assert.equal((await s.events('recent')).length, 2);
      assert.deepEqual(await s.latestMaterialization('parks.silver.visits'), m);
      assert.deepEqual(await s.checkResults({ runId: 'old' }), [c]);
      assert.equal(await s.prune(cutoff), 0);

      // Nothing of the pruned run is left: its id can be used again, with seqs from 1.
      await s.createRun(run('old'));
      await s.appendEvents([event('old', 'again')]);
      assert.deepEqual((await s.events('old')).map((e) => e.seq), [1]);
    });

    it('dates round-trip with millisecond precision', async (t) => {
      const s = await fresh(t);
      const dates = ['2026-03-04T05:06:07.089Z', '1969-07-20T20:17:40.123Z', '1970-01-01T00:00:00.000Z', '2999-12-31T23:59:59.999Z'].map(at);
      for (const [i, d] of dates.entries()) {
        await s.createRun(run(`r${i}`, { createdAt: d, startedAt: new Date(d.getTime() + 1), endedAt: new Date(d.getTime() + 2) }));
        await s.appendEvents([event(`r${i}`, 'e', { timestamp: d })]);
        await s.addMaterialization(materialization(`asset${i}`, d.toISOString()));
        await s.addCheckResult(checkResult(`check${i}`, d.toISOString(), { runId: `r${i}` }));
      }
      for (const [i, d] of dates.entries()) {
        const r = await s.getRun(`r${i}`);
        assert.deepEqual([r?.createdAt, r?.startedAt, r?.endedAt].map((x) => x?.getTime()), [d.getTime(), d.getTime() + 1, d.getTime() + 2]);
        assert.ok(r?.createdAt instanceof Date);
        assert.equal((await s.events(`r${i}`))[0]?.timestamp.getTime(), d.getTime());
        assert.equal((await s.latestMaterialization(`asset${i}`))?.timestamp.getTime(), d.getTime());
        assert.equal((await s.checkResults({ runId: `r${i}` }))[0]?.timestamp.getTime(), d.getTime());
      }
      assert.deepEqual(ids(await s.listRuns()), ['r3', 'r0', 'r2', 'r1']);
    });

    it('JSON values round-trip: tags, event data, metadata', async (t) => {
      const s = await fresh(t);
      const value = {
        text: 'Zürich “quotes” \'single\' \\ back\\slash\n\ttab 🎢 参观',
        sql: "'); DROP TABLE runs; --",
        numbers: [0, -1, 0.1, 1e-7, 2 ** 53 - 1, -(2 ** 31)],
        flags: { yes: true, no: false, none: null },
        nested: { deeper: { list: [[], {}, [{ a: 1 }]] } },
        empty: '',
        url: 'https://dash.example.com/d/1?x=1&y=2',
      };
      const tags = { 'team/name': 'parks & leisure', emoji: '🎢', quote: '"', empty: '' };
      await s.createRun(run('json', { tags, selection: ['tag:pii', 'key:"odd key"'], steps: ['a.b.c[2026-01-01|north]'] }));
      await s.appendEvents([event('json', 'with data', { data: value }), event('json', 'empty data', { data: {} }), event('json', 'no data')]);
      await s.addMaterialization(materialization('a.b.c', '2026-01-01T00:00:00.000Z', { metadata: value }));
      await s.addCheckResult(checkResult('json', '2026-01-01T00:00:00.000Z', { metadata: value }));

      const r = await s.getRun('json');
      assert.deepEqual(r?.tags, tags);
      assert.deepEqual(r?.selection, ['tag:pii', 'key:"odd key"']);
      assert.deepEqual(r?.steps, ['a.b.c[2026-01-01|north]']);
      assert.deepEqual(ids(await s.listRuns({ assetKey: 'a.b.c' })), ['json']);
      const [withData, emptyData, noData] = await s.events('json');
      assert.deepEqual(withData?.data, value);
      assert.deepEqual(emptyData?.data, {});
      assert.equal(noData !== undefined && 'data' in noData, false);
      assert.deepEqual((await s.latestMaterialization('a.b.c'))?.metadata, value);
      assert.deepEqual((await s.checkResults())[0]?.metadata, value);
    });

    it('hands out records that do not share state with the storage', async (t) => {
      const s = await fresh(t);
      const tags: Record<string, string> = { a: '1' };
      const steps = ['x.y.z'];
      await s.createRun(run('r', { tags, steps }));
      tags.a = 'changed';
      steps.push('added');
      const read = (await s.getRun('r')) as RunRecord;
      (read.tags as Record<string, string>).a = 'mutated';
      (read.steps as string[]).push('mutated');
      assert.deepEqual(await s.getRun('r'), run('r', { tags: { a: '1' }, steps: ['x.y.z'] }));
    });

    it('fails with CORE_STORAGE after close; closing twice is fine', async (t) => {
      const s = await fresh(t);
      await s.createRun(run('r'));
      await s.close();
      await s.close();
      await rejectsWithCode(s.getRun('r'), 'CORE_STORAGE');
      await rejectsWithCode(s.createRun(run('r2')), 'CORE_STORAGE');
      await rejectsWithCode(s.appendEvents([event('r', 'x')]), 'CORE_STORAGE');
      await rejectsWithCode(s.setCursor('c', 'v'), 'CORE_STORAGE');
    });
  });
}
