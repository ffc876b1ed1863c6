import type { ResolvedOptions } from './options.ts';
import type { CurrentObservation, Observation } from './types.ts';
import { localDay } from './weekday.ts';

const DAY_MS = 86_400_000;

/** The earlier values a current value is compared with. */
export type Baseline =
  | {
      readonly kind: 'baseline';
      /** Same-weekday values when seasonal, else all usable values. */
      readonly values: readonly number[];
      readonly seasonal: boolean;
      /** Weekday of the current value (0 = Sunday) in the options' time zone. */
      readonly weekday: number;
      /** Usable values by weekday (index 0 = Sunday). */
      readonly byWeekday: readonly (readonly number[])[];
      /** Distinct days among the current weekday's values. */
      readonly weekdayDays: number;
    }
  | {
      readonly kind: 'insufficient';
      /** `history`: too few values at all; `weekday`: too few same-weekday days. */
      readonly lacking: 'history' | 'weekday';
      readonly needed: number;
      readonly have: number;
      readonly weekday: number;
    };

/**
 * Chooses the baseline. Usable values are those strictly before `current` and at most `windowDays`
 * earlier, with a finite value and a valid date, not flagged anomalous unless a steward marked them
 * expected. The baseline is seasonal (the current weekday's values only) with `weekday`, or with
 * `auto` once the current weekday has values on `minWeekdayHistory` distinct earlier days.
 */
export function chooseBaseline(history: readonly Observation[], current: CurrentObservation, options: ResolvedOptions): Baseline {
  const end = current.at.getTime();
  const start = end - options.windowDays * DAY_MS;
  const usable = history.filter((h) => {
    const t = h.at.getTime();
    return t < end && t >= start && Number.isFinite(h.value) && (h.expected === true || h.anomalous !== true);
  });
  const { weekday } = localDay(current.at, options.timeZone);
  if (usable.length < options.minHistory) {
    return { kind: 'insufficient', lacking: 'history', needed: options.minHistory, have: usable.length, weekday };
  }
  const all = usable.map((h) => h.value);
  if (options.seasonality === 'none') return { kind: 'baseline', values: all, seasonal: false, weekday, byWeekday: [], weekdayDays: 0 };

  const byWeekday: number[][] = [[], [], [], [], [], [], []];
  const days = new Set<string>();
  for (const h of usable) {
    const day = localDay(h.at, options.timeZone);
    byWeekday[day.weekday]?.push(h.value);
    if (day.weekday === weekday) days.add(day.date);
  }
  const base = { kind: 'baseline', weekday, byWeekday, weekdayDays: days.size } as const;
  if (days.size >= options.minWeekdayHistory) return { ...base, values: byWeekday[weekday] ?? [], seasonal: true };
  if (options.seasonality === 'weekday') {
    return { kind: 'insufficient', lacking: 'weekday', needed: options.minWeekdayHistory, have: days.size, weekday };
  }
  return { ...base, values: all, seasonal: false };
}
