/**
 * Calendar helpers. A "day" is a Paris calendar date counted in days since 1970-01-01; instants are
 * UTC milliseconds. The parks live on Paris time (sessions start at 10:00 local, summer or winter),
 * records carry UTC timestamps.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The day of an ISO date (`2022-01-01`); throws on anything else. */
export function dayOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`expected a date as YYYY-MM-DD, got "${isoDate}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (isoDateOf(ms / DAY_MS) !== isoDate) throw new Error(`"${isoDate}" is not a calendar date`);
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day. */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dateParts(day: number): { year: number; month: number; dayOfMonth: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, dayOfMonth: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** The last Sunday of a month (1–12), as a day. */
function lastSunday(year: number, month: number): number {
  const last = Date.UTC(year, month, 0) / DAY_MS;
  return last - weekdayOf(last);
}

/** Paris is UTC+2 from the last Sunday of March to the last Sunday of October (01:00 UTC), else UTC+1. */
export function parisOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  let summer = SUMMER_TIME.get(year);
  if (!summer) SUMMER_TIME.set(year, (summer = [lastSunday(year, 3) * DAY_MS + HOUR_MS, lastSunday(year, 10) * DAY_MS + HOUR_MS]));
  return utcMs >= summer[0] && utcMs < summer[1] ? 2 * HOUR_MS : HOUR_MS;
}

/** Start and end of summer time by year (UTC ms), computed once per year. */
const SUMMER_TIME = new Map<number, readonly [number, number]>();

/** The UTC instant of a Paris wall-clock time on `day` (`minutes` after local midnight). */
export function parisTime(day: number, minutes: number): number {
  const wall = day * DAY_MS + minutes * MINUTE_MS;
  // The offset at the wall time read as UTC is right except within an hour of a change (never 02:00–03:00 here).
  return wall - parisOffsetMs(wall - HOUR_MS);
}

/** The Paris calendar day of a UTC instant. */
export function parisDayOf(utcMs: number): number {
  return Math.floor((utcMs + parisOffsetMs(utcMs)) / DAY_MS);
}

/** A UTC instant as ISO 8601 with second precision: `2024-07-13T09:21:34Z`. */
export function isoTimestamp(utcMs: number): string {
  const day = Math.floor(utcMs / DAY_MS);
  if (day < 0 || day > MAX_CACHED_DAY) return new Date(utcMs).toISOString().slice(0, 19) + 'Z';
  // Formatted by hand from a per-day prefix: this runs for every record written.
  let prefix = DATE_PREFIXES[day];
  if (prefix === undefined) prefix = DATE_PREFIXES[day] = isoDateOf(day) + 'T';
  const second = Math.floor((utcMs - day * DAY_MS) / 1000);
  return `${prefix}${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}Z`;
}

/** Days up to 2100-01-01 get a cached `YYYY-MM-DDT` prefix. */
const MAX_CACHED_DAY = 47_482;
const DATE_PREFIXES: (string | undefined)[] = [];
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** Easter Sunday of a year (anonymous Gregorian algorithm), as a day. */
export function easterOf(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, dayOfMonth) / DAY_MS;
}

const FIXED_HOLIDAYS = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'];

/** French public holidays (fixed dates, Easter Monday, Ascension, Whit Monday). */
export function isPublicHoliday(day: number): boolean {
  const { year } = dateParts(day);
  if (FIXED_HOLIDAYS.includes(isoDateOf(day).slice(5))) return true;
  const easter = easterOf(year);
  return day === easter + 1 || day === easter + 39 || day === easter + 50;
}

/** Roughly the national school summer holidays: from the first Saturday after 4 July to 31 August. */
export function isSummerHoliday(day: number): boolean {
  const { year, month } = dateParts(day);
  if (month === 8) return true;
  if (month !== 7) return false;
  const july4 = Date.UTC(year, 6, 4) / DAY_MS;
  return day >= july4 + ((6 - weekdayOf(july4) + 7) % 7);
}
