import { dateParts, isPublicHoliday, isSummerHoliday, weekdayOf } from './calendar.ts';
import { tag, unitHash } from './random.ts';

/** Share of a peak July day's demand, by month (January first): the parks barely work in winter. */
const MONTH_FACTOR = [0.01, 0.015, 0.04, 0.22, 0.6, 0.9, 1, 1, 0.55, 0.18, 0.025, 0.01] as const;

/** Sunday first. Wednesday is busier than other weekdays: French schoolchildren are free in the afternoon. */
const WEEKDAY_FACTOR = [1.75, 0.5, 0.5, 0.72, 0.55, 0.78, 1.85] as const;

/** Chance of a storm day on which the park cancels every session, by month. */
const STORM_CHANCE = [0.1, 0.1, 0.08, 0.06, 0.05, 0.04, 0.035, 0.045, 0.05, 0.07, 0.1, 0.1] as const;

/** Bookings of an 80-rider park on a peak Saturday-like day at scale 1 and 2023 volumes. */
const PEAK_BOOKINGS = 36;

/** True when the park closes for bad weather on `day`: it cancels that day's sessions in the morning. */
export function isStormDay(seed: number, parkId: number, day: number): boolean {
  return unitHash(seed, tag('storm'), parkId, day) < (STORM_CHANCE[dateParts(day).month - 1] ?? 0);
}

/** Expected number of bookings for sessions at a park on a day (the Poisson mean). */
export function expectedBookings(seed: number, parkId: number, capacity: number, day: number, scale: number): number {
  const { year, month } = dateParts(day);
  const weekday = weekdayOf(day);
  let dayFactor = isPublicHoliday(day) ? Math.max(WEEKDAY_FACTOR[0], WEEKDAY_FACTOR[weekday] ?? 1) : (WEEKDAY_FACTOR[weekday] ?? 1);
  // During the summer holidays families come on weekdays too.
  if (isSummerHoliday(day) && dayFactor < 1) dayFactor = 0.5 + dayFactor * 0.6;
  const growth = Math.pow(1.09, year - 2023);
  // Sunny and grey days: ±35 % around the mean, the same for every booking of that park and day.
  const weather = 0.65 + 0.7 * unitHash(seed, tag('weather'), parkId, day);
  const storm = isStormDay(seed, parkId, day) ? 0.35 : 1;
  return PEAK_BOOKINGS * scale * (capacity / 80) * (MONTH_FACTOR[month - 1] ?? 0) * dayFactor * growth * weather * storm;
}
