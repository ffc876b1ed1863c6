import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableMetrics } from './metrics.ts';
import { metricSeries } from './metric-series.ts';
import { monitorSeries } from './monitor-series.ts';
import type { SeriesObservation, SeriesVerdict } from './monitor-series.ts';

/*
 * A seasonal business: daily bookings of a leisure park. Weekends bring about three times the
 * bookings of a weekday, summer about 1.5 times those of winter, and every day has ±8 % noise.
 */

const DAY = 86_400_000;
/** 2023-01-02 was a Monday. */
const START = Date.UTC(2023, 0, 2);

/** Mulberry32: a small seeded PRNG, so that every run sees the same bookings. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bookings(seed: number, days = 365): SeriesObservation[] {
  const random = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: days }, (_, d) => {
    const at = new Date(START + d * DAY);
    const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 3 : 1;
    const summer = 1 + 0.5 * Math.exp(-(((d - 196) / 50) ** 2));
    return { at, value: Math.max(0, Math.round(100 * weekend * summer * (1 + 0.08 * normal()))) };
  });
}

const isWeekend = (v: { at: Date }) => v.at.getUTCDay() === 0 || v.at.getUTCDay() === 6;
const label = 'daily bookings';
/** Index of a date in the series. */
const dayOf = (iso: string) => (Date.parse(`${iso}T00:00:00Z`) - START) / DAY;
const withValue = (series: readonly SeriesObservation[], day: number, value: number) => series.map((p, i) => (i === day ? { ...p, value } : p));

describe('anomaly monitor on a seasonal business', () => {
  it('the generated business has the weekend peak and the summer season', () => {
    const s = bookings(1);
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    const weekdays = mid(s.filter((p) => !isWeekend(p)).map((p) => p.value));
    const weekends = mid(s.filter(isWeekend).map((p) => p.value));
    assert.ok(weekends / weekdays > 2.6 && weekends / weekdays < 3.4, `weekend/weekday ${weekends / weekdays}`);
    const month = (m: number) => mid(s.filter((p) => !isWeekend(p) && p.at.getUTCMonth() === m).map((p) => p.value));
    assert.ok(month(6) / month(1) > 1.35, `July/February ${month(6) / month(1)}`);
  });

  it('does not flag the normal weekend peak, which comparing with all days would', () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = monitorSeries(bookings(seed), { label });
      const judged = verdicts.filter((v) => v.status !== 'insufficient_history');
      const flagged = judged.filter((v) => v.status === 'anomaly');
      assert.deepEqual(flagged.filter(isWeekend).map((v) => v.message), [], `seed ${seed}`);
      // Ordinary noise raises at most about one alarm a quarter.
      assert.ok(flagged.length <= 4, `seed ${seed}: ${flagged.length} false alarms: ${flagged.map((v) => v.message).join('; ')}`);
      assert.ok(judged.filter((v) => isWeekend(v) && v.seasonal).length >= 90, `seed ${seed}`);

      const flat = monitorSeries(bookings(seed), { label, seasonality: 'none' }).filter((v) => v.status !== 'insufficient_history');
      const weekendFlat = flat.filter(isWeekend);
      assert.ok(weekendFlat.filter((v) => v.status === 'anomaly').length > 0.9 * weekendFlat.length, `seed ${seed}`);
    }
  });

  it('while learning, a weekend peak is "not enough history", not an alarm', () => {
    const verdicts = monitorSeries(bookings(1), { label });
    const first = verdicts.slice(0, 7);
    assert.ok(first.every((v) => v.status === 'insufficient_history' && v.needed === 7));
    const learning = verdicts.slice(7, 28);
    assert.equal(learning.filter((v) => v.status === 'anomaly').length, 0);
    for (const v of learning.filter(isWeekend)) {
      assert.equal(v.status, 'insufficient_history', v.message);
      assert.match(v.message, /as earlier (Saturday|Sunday)s were .* not enough history to judge a (Saturday|Sunday) on its own yet/);
    }
    assert.ok(learning.filter((v) => !isWeekend(v)).every((v) => v.status === 'ok' && !v.seasonal));
    // From the fifth week, weekends are compared with earlier weekends.
    assert.ok(verdicts.slice(28, 56).every((v) => v.status === 'ok' && v.seasonal), 'weeks 5–8 judged by weekday');
  });

  it('flags a Saturday at 10 % of normal, in summer and in winter', () => {
    for (const iso of ['2023-07-15', '2023-02-18']) {
      const day = dayOf(iso);
      const normal = bookings(2);
      const series = withValue(normal, day, Math.round((normal[day]?.value ?? 0) * 0.1));
      const verdicts = monitorSeries(series, { label });
      const v = verdicts[day] as SeriesVerdict;
      assert.equal(v.status, 'anomaly', v.message);
      assert.equal(v.seasonal, true);
      assert.match(v.message, /^daily bookings \d+ is (far )?below the usual \d+–\d+ for a Saturday \(median \d+ of \d earlier Saturdays\)$/);
      // Left out of later baselines: the next Saturday is judged against the normal Saturdays only.
      const peers = (message: string) => Number(/of (\d) earlier Saturdays/.exec(message)?.[1]);
      const next = verdicts[day + 7] as SeriesVerdict;
      assert.equal(next.status, 'ok', next.message);
      assert.equal(peers(next.message), Math.min(peers(v.message) + 1, 8) - 1);
    }
  });

  it('flags a day with zero rows, from the recorded metrics', () => {
    const day = dayOf('2023-05-09');
    const series = withValue(bookings(3), day, 0);
    const history = series.map((p) => ({ at: p.at, metrics: { rowCount: p.value, columns: {} } satisfies TableMetrics }));
    const verdicts = monitorSeries(metricSeries(history, 'row_count'), { label: 'row count of parks.silver.bookings' });
    const v = verdicts[day] as SeriesVerdict;
    assert.equal(v.status, 'anomaly');
    assert.match(v.message, /^row count of parks\.silver\.bookings 0 is far below the usual [\d.]+–\d+ for a Tuesday/);
  });

  it('marking alarms as expected stops them and makes a new level the baseline', () => {
    // From 2023-10-30 (a Monday) a sales channel closes for good: bookings fall to 30 %.
    const shift = dayOf('2023-10-30');
    const series: SeriesObservation[] = bookings(4).map((p, i) => (i >= shift ? { ...p, value: Math.round(p.value * 0.3) } : p));

    const unmarked = monitorSeries(series, { label });
    assert.ok(unmarked.slice(shift, shift + 28).every((v) => v.status === 'anomaly'), 'without marks, the new level keeps alarming');

    // A steward marks each alarm as expected, one at a time, as they would after each materialization.
    let marks = 0;
    for (;;) {
      const next = monitorSeries(series, { label }).findIndex((v, i) => i >= shift && v.status === 'anomaly');
      if (next < 0) break;
      series[next] = { ...(series[next] as SeriesObservation), expected: true };
      marks++;
    }
    const verdicts = monitorSeries(series, { label });
    const lastMark = series.findLastIndex((p) => p.expected === true);
    assert.ok(marks >= 7 && marks <= 28, `${marks} marks`);
    assert.ok(verdicts.slice(shift, lastMark + 1).every((v) => v.status === 'ok'), 'marked values do not alarm');
    assert.ok(verdicts.slice(shift, lastMark + 1).some((v) => /marked as expected/.test(v.message)));
    const after = verdicts.slice(lastMark + 1);
    assert.ok(after.length >= 21);
    assert.ok(after.every((v) => v.status === 'ok'), 'the new level is accepted');
    // The days that alarmed without marks are now accepted because of the marks.
    assert.ok(unmarked.slice(lastMark + 1, lastMark + 15).filter((v) => v.status === 'anomaly').length >= 10);
    // Once the window holds only the new level, a drop from it alarms.
    const day = shift + 60;
    const dropped = withValue(series, day, Math.round((series[day]?.value ?? 0) * 0.1));
    assert.equal(monitorSeries(dropped, { label })[day]?.status, 'anomaly');
  });
});
