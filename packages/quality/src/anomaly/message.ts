import { WEEKDAY_NAMES } from './weekday.ts';

/** A number as a steward reads it: about three significant digits, whole above 100, thousands grouped (12,345). */
export function formatNumber(x: number): string {
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : undefined;
  const format = digits === undefined ? { maximumSignificantDigits: 3 } : { maximumFractionDigits: digits };
  return new Intl.NumberFormat('en-US', format).format(x);
}

export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday] ?? `day ${weekday}`;
}

/** `1 earlier Saturday`, `3 earlier values`. */
export function countOf(n: number, seasonal: boolean, weekday: number): string {
  if (seasonal) return `${n} earlier ${weekdayName(weekday)}${n === 1 ? '' : 's'}`;
  return `${n} earlier value${n === 1 ? '' : 's'}`;
}

export function rangeText(range: readonly [number, number]): string {
  return `${formatNumber(range[0])}–${formatNumber(range[1])}`;
}
