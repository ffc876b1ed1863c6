import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQualityError } from '../errors.ts';
import { detectAnomaly } from './detect.ts';
import type { AnomalyVerdict, JudgedVerdict, Observation } from './types.ts';
import { localDay } from './weekday.ts';

const DAY = 86_400_000;
/** 2024-01-01 was a Monday. */
const START = Date.UTC(2024, 0, 1);

/** One observation a day from START (midnight UTC) with the given values. */
function daily(values: readonly number[], extra: Partial<Observation> = {}, from = START): Observation[] {
  return values.map((value, i) => ({ at: new Date(from + i * DAY), value, ...extra }));
}

/** Deterministic values around 100: 95–105. */
const around100 = (n: number) => Array.from({ length: n }, (_, i) => 100 + ((i * 7) % 11) - 5);

function judged(v: AnomalyVerdict): JudgedVerdict {
  assert.notEqual(v.status, 'insufficient_history', v.message);
  return v as JudgedVerdict;
}

describe('detectAnomaly', () => {
  it('says the history is insufficient rather than guessing, however extreme the value', () => {
    const history = daily(around100(6));
    const v = detectAnomaly(history, { at: new Date(START + 6 * DAY), value: 1e9 }, { label: 'daily bookings' });
    assert.equal(v.status, 'insufficient_history');
    assert.equal(v.status === 'insufficient_history' && v.needed, 7);
    assert.equal(v.status === 'insufficient_history' && v.have, 6);
    assert.match(v.message, /^daily bookings: not enough history to judge 1,000,000,000 yet: 6 earlier values in the last 56 days, 7 needed$/);
    assert.equal(detectAnomaly(history, { at: new Date(START + 6 * DAY), value: 100 }, { minHistory: 6 }).status, 'ok');
  });

  it('flags a value far from the median and describes it for a steward', () => {
    const history = daily(around100(20));
    const at = new Date(START + 20 * DAY);
    const ok = judged(detectAnomaly(history, { at, value: 103 }, { label: 'daily bookings' }));
    assert.equal(ok.status, 'ok');
    assert.equal(ok.seasonal, false);
    assert.equal(ok.median, 100);
    assert.ok(ok.expectedRange[0] < 103 && 103 < ok.expectedRange[1]);
    assert.match(ok.message, /^daily bookings 103 is within the usual \d+(\.\d)?–\d+(\.\d)? \(median 100 of 20 earlier values\)$/);

    const low = judged(detectAnomaly(history, { at, value: 12 }, { label: 'daily bookings' }));
    assert.equal(low.status, 'anomaly');
    assert.ok(low.expectedRange[0] > 12);
    assert.ok((low.score ?? 0) > 3.5);
    assert.match(low.message, /^daily bookings 12 is far below the usual .+ \(median 100 of 20 earlier values\)$/);
    assert.match(judged(detectAnomaly(history, { at, value: 400 })).message, /^value 400 is far above/);
  });

  it('flags exactly the values outside the expected range; sensitivity is the threshold on the score', () => {
    const history = daily(around100(30));
    const at = new Date(START + 30 * DAY);
    const [lo, hi] = judged(detectAnomaly(history, { at, value: 100 })).expectedRange;
    assert.equal(detectAnomaly(history, { at, value: hi - 0.01 }).status, 'ok');
    assert.equal(detectAnomaly(history, { at, value: hi + 0.01 }).status, 'anomaly');
    assert.equal(detectAnomaly(history, { at, value: lo + 0.01 }).status, 'ok');
    assert.equal(detectAnomaly(history, { at, value: lo - 0.01 }).status, 'anomaly');

    const score = judged(detectAnomaly(history, { at, value: 140 })).score ?? 0;
    assert.equal(detectAnomaly(history, { at, value: 140 }, { sensitivity: score + 0.1 }).status, 'ok');
    assert.equal(detectAnomaly(history, { at, value: 140 }, { sensitivity: score - 0.1 }).status, 'anomaly');
    // A wider threshold widens the band proportionally.
    const wide = judged(detectAnomaly(history, { at, value: 100 }, { sensitivity: 7 })).expectedRange;
    assert.ok(Math.abs(wide[1] - 100 - 2 * (hi - 100)) < 1e-9);
  });

  it('handles a history without variation (MAD = 0)', () => {
    const constant = daily(Array.from({ length: 14 }, () => 1000));
    const at = new Date(START + 14 * DAY);
    const same = judged(detectAnomaly(constant, { at, value: 1000 }));
    assert.equal(same.status, 'ok');
    assert.equal(same.mad, 0);
    assert.equal(same.score, 0);
    // The spread floor (1 % of the median) tolerates a tiny change but not a real one.
    assert.equal(detectAnomaly(constant, { at, value: 1005 }).status, 'ok');
    assert.equal(detectAnomaly(constant, { at, value: 1100 }).status, 'anomaly');

    const zeros = daily(Array.from({ length: 14 }, () => 0));
    assert.equal(detectAnomaly(zeros, { at, value: 0 }).status, 'ok');
    const one = judged(detectAnomaly(zeros, { at, value: 1 }, { label: 'null rate of email' }));
    assert.equal(one.status, 'anomaly');
    assert.equal(one.score, undefined);
    assert.deepEqual(one.expectedRange, [0, 0]);
    assert.match(one.message, /^null rate of email 1 is far above the usual 0–0/);
  });

  it('leaves flagged values out of the baseline unless a steward marked them expected', () => {
    const normal = daily(Array.from({ length: 10 }, () => 100));
    const spike = (extra: Partial<Observation>) => daily(Array.from({ length: 12 }, () => 200), extra, START + 10 * DAY);
    const at = new Date(START + 22 * DAY);
    const opts = { seasonality: 'none' } as const;

    const flagged = judged(detectAnomaly([...normal, ...spike({ anomalous: true })], { at, value: 100 }, opts));
    assert.equal(flagged.median, 100);
    assert.match(flagged.message, /of 10 earlier values/);

    const accepted = judged(detectAnomaly([...normal, ...spike({ anomalous: true, expected: true })], { at, value: 100 }, opts));
    assert.equal(accepted.median, 200);
    assert.match(accepted.message, /of 22 earlier values/);
  });

  it('never reports a value marked expected as an anomaly, and says why', () => {
    const history = daily(around100(20));
    const v = detectAnomaly(history, { at: new Date(START + 20 * DAY), value: 12, expected: true }, { label: 'daily bookings' });
    assert.equal(v.status, 'ok');
    assert.match(v.message, /^daily bookings 12 is far below the usual .+, but was marked as expected$/);
  });

  it('uses only the window before the value', () => {
    const old = daily(Array.from({ length: 10 }, () => 1000));
    const recent = daily(Array.from({ length: 10 }, () => 100), {}, START + 30 * DAY);
    const later = daily([5000, 5000], {}, START + 41 * DAY);
    const at = new Date(START + 40 * DAY);
    assert.equal(judged(detectAnomaly([...old, ...recent, ...later], { at, value: 100 }, { windowDays: 14, seasonality: 'none' })).median, 100);
    assert.equal(judged(detectAnomaly([...old, ...recent, ...later], { at, value: 100 }, { seasonality: 'none' })).median, 550);
  });

  it('with seasonality weekday, waits for enough same-weekday history', () => {
    const history = daily(around100(10));
    const v = detectAnomaly(history, { at: new Date(START + 12 * DAY), value: 100 }, { seasonality: 'weekday' });
    assert.equal(v.status, 'insufficient_history');
    assert.equal(v.seasonal, true);
    assert.equal(v.status === 'insufficient_history' && v.have, 1);
    assert.equal(v.status === 'insufficient_history' && v.needed, 4);
    assert.match(v.message, /not enough history to judge a Saturday yet: 1 earlier Saturday in the last 56 days, 4 needed/);
    assert.equal(detectAnomaly(history, { at: new Date(START + 12 * DAY), value: 100 }, { seasonality: 'weekday', minWeekdayHistory: 1 }).seasonal, true);
  });

  it('counts weekdays in the configured time zone', () => {
    // 2024-06-15T23:30Z is Saturday in UTC and already Sunday 01:30 in Paris.
    assert.deepEqual(localDay(new Date('2024-06-15T23:30:00Z'), 'UTC'), { weekday: 6, date: '2024-06-15' });
    assert.deepEqual(localDay(new Date('2024-06-15T23:30:00Z'), 'Europe/Paris'), { weekday: 0, date: '2024-06-16' });
    assert.deepEqual(localDay(new Date('2024-06-16T03:00:00Z'), 'America/Los_Angeles'), { weekday: 6, date: '2024-06-15' });

    // A park in Paris loads each day's bookings at 23:30 UTC; Paris Sundays (UTC Saturday evenings) are busy.
    const history: Observation[] = [];
    for (let d = 0; d < 42; d++) {
      const at = new Date(Date.UTC(2024, 4, 1, 23, 30) + d * DAY);
      history.push({ at, value: localDay(at, 'Europe/Paris').weekday === 0 ? 300 + (d % 3) : 100 + (d % 5) });
    }
    const sundayNoon = { at: new Date('2024-06-16T12:00:00Z'), value: 300 };
    const paris = judged(detectAnomaly(history, sundayNoon, { timeZone: 'Europe/Paris', label: 'bookings' }));
    assert.equal(paris.status, 'ok');
    assert.equal(paris.seasonal, true);
    assert.match(paris.message, /for a Sunday \(median 301 of 6 earlier Sundays\)/);
    // Counted in UTC, the earlier "Sundays" are the quiet Paris Mondays.
    const utc = judged(detectAnomaly(history, sundayNoon, { label: 'bookings' }));
    assert.equal(utc.status, 'anomaly');
    assert.match(utc.message, /^bookings 300 is far above the usual .+ for a Sunday/);
  });

  it('rejects invalid options and values with QUALITY_INVALID_DEFINITION', () => {
    const history = daily(around100(10));
    const at = new Date(START + 10 * DAY);
    const invalid = (e: unknown) => isQualityError(e, 'QUALITY_INVALID_DEFINITION');
    assert.throws(() => detectAnomaly(history, { at, value: 1 }, { sensitivity: 0 }), invalid);
    assert.throws(() => detectAnomaly(history, { at, value: 1 }, { minHistory: 0 }), invalid);
    assert.throws(() => detectAnomaly(history, { at, value: 1 }, { windowDays: -1 }), invalid);
    assert.throws(() => detectAnomaly(history, { at, value: 1 }, { timeZone: 'Mars/Olympus' }), (e: unknown) => invalid(e) && /Mars\/Olympus/.test((e as Error).message));
    assert.throws(() => detectAnomaly(history, { at, value: Number.NaN }, { label: 'row count' }), (e: unknown) => invalid(e) && /row count/.test((e as Error).message));
    assert.throws(() => detectAnomaly(history, { at: new Date('nope'), value: 1 }), invalid);
  });
});
