import { DeltaError } from '../errors.ts';

const UNITS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Parses a Delta interval property such as `interval 7 days`. */
export function parseInterval(text: string, property: string): number {
  const m = /^\s*(?:interval\s+)?(\d+)\s+(millisecond|second|minute|hour|day|week)s?\s*$/i.exec(text);
  if (!m) throw new DeltaError('DELTA_INVALID_ARGUMENT', `${property} must look like "interval 7 days", not ${JSON.stringify(text)}`);
  return Number(m[1]) * (UNITS[(m[2] as string).toLowerCase()] as number);
}

/** `delta.deletedFileRetentionDuration`, default 7 days. */
export function retentionMillis(configuration: Readonly<Record<string, string>>): number {
  const v = configuration['delta.deletedFileRetentionDuration'];
  return v ? parseInterval(v, 'delta.deletedFileRetentionDuration') : 7 * 86_400_000;
}
