import { QualityError } from '../errors.ts';

/** Day names indexed as Date#getUTCDay counts them: 0 is Sunday. */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const SHORT_NAMES: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is an IANA time zone the runtime knows (`UTC`, `Europe/Paris`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar day of an instant in a time zone: its weekday (0 = Sunday) and a `YYYY-MM-DD` key. */
export function localDay(at: Date, timeZone: string): { readonly weekday: number; readonly date: string } {
  let weekday = -1;
  const date: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') weekday = SHORT_NAMES[part.value] ?? -1;
    else if (part.type === 'year' || part.type === 'month' || part.type === 'day') date[part.type] = part.value;
  }
  return { weekday, date: `${date.year}-${date.month}-${date.day}` };
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch (e) {
      throw new QualityError('QUALITY_INVALID_DEFINITION', `time zone "${timeZone}" is not an IANA time zone such as UTC or Europe/Paris`, { cause: e });
    }
    formatters.set(timeZone, f);
  }
  return f;
}
