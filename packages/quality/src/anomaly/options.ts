import { QualityError } from '../errors.ts';
import type { DetectOptions, Seasonality } from './types.ts';
import { isTimeZone } from './weekday.ts';

export const DEFAULT_SENSITIVITY = 3.5;
export const DEFAULT_MIN_HISTORY = 7;
export const DEFAULT_MIN_WEEKDAY_HISTORY = 4;
export const DEFAULT_WINDOW_DAYS = 56;

export interface ResolvedOptions {
  readonly sensitivity: number;
  readonly minHistory: number;
  readonly seasonality: Seasonality;
  readonly minWeekdayHistory: number;
  readonly timeZone: string;
  readonly windowDays: number;
  readonly label: string;
}

/** Options with defaults applied; QUALITY_INVALID_DEFINITION naming the first invalid one. */
export function resolveOptions(options: DetectOptions): ResolvedOptions {
  const label = options.label ?? 'value';
  const invalid = (what: string) => new QualityError('QUALITY_INVALID_DEFINITION', `monitor of ${label}: ${what}`);
  const sensitivity = options.sensitivity ?? DEFAULT_SENSITIVITY;
  if (!(Number.isFinite(sensitivity) && sensitivity > 0)) throw invalid(`sensitivity must be a positive number, got ${sensitivity}`);
  const minHistory = options.minHistory ?? DEFAULT_MIN_HISTORY;
  if (!(Number.isInteger(minHistory) && minHistory >= 1)) throw invalid(`min_history must be a whole number of at least 1, got ${minHistory}`);
  const minWeekdayHistory = options.minWeekdayHistory ?? DEFAULT_MIN_WEEKDAY_HISTORY;
  if (!(Number.isInteger(minWeekdayHistory) && minWeekdayHistory >= 1)) {
    throw invalid(`the same-weekday history needed must be a whole number of at least 1, got ${minWeekdayHistory}`);
  }
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!(Number.isFinite(windowDays) && windowDays > 0)) throw invalid(`window_days must be a positive number of days, got ${windowDays}`);
  const seasonality = options.seasonality ?? 'auto';
  if (!['weekday', 'none', 'auto'].includes(seasonality)) throw invalid(`seasonality must be weekday, none or auto, got ${String(seasonality)}`);
  const timeZone = options.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw invalid(`time zone "${timeZone}" is not an IANA time zone such as UTC or Europe/Paris`);
  return { sensitivity, minHistory, seasonality, minWeekdayHistory, timeZone, windowDays, label };
}
