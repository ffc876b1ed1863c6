import { z } from 'zod';
import { QualityError } from '../errors.ts';
import { COLUMN_STATS, metricLabel } from './metric-series.ts';
import type { DetectOptions } from './types.ts';
import { isTimeZone } from './weekday.ts';

/** A metric as written in YAML: `row_count`, or `{ column: email, stat: null_rate }`. */
export const MonitorMetricSchema = z.union([
  z.literal('row_count'),
  z.strictObject({
    column: z.string().min(1, 'a column name cannot be empty'),
    stat: z.enum(COLUMN_STATS, { error: `stat is one of ${COLUMN_STATS.join(', ')}` }),
  }),
], { error: 'metric is row_count or { column, stat }' });

/**
 * An anomaly monitor as data stewards write it in YAML (snake_case keys). Defaults are those of
 * `detectAnomaly` (sensitivity 3.5, min_history 7, UTC, window_days 56); seasonality defaults to
 * auto and severity to warn, since a statistical judgement is a signal to look, not proof of a fault.
 */
export const MonitorSchema = z.strictObject({
  /** Unique per asset; by default derived from the metric. */
  name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/, 'a monitor name is letters, digits, _, ., : and -').optional(),
  metric: MonitorMetricSchema,
  /** Robust standard deviations from the usual beyond which a value is flagged; larger flags less. */
  sensitivity: z.number().positive('sensitivity is a positive number, e.g. 3.5').refine(Number.isFinite, 'sensitivity is a finite number').optional(),
  min_history: z.number().int('min_history is a whole number').min(1, 'min_history is at least 1').optional(),
  seasonality: z.enum(['weekday', 'none', 'auto'], { error: 'seasonality is weekday, none or auto' }).default('auto'),
  time_zone: z.string().refine(isTimeZone, 'time_zone is an IANA time zone such as UTC or Europe/Paris').optional(),
  window_days: z.number().positive('window_days is a positive number of days').optional(),
  severity: z.enum(['warn', 'error'], { error: 'severity is warn or error' }).default('warn'),
  description: z.string().optional(),
});

/** A monitor as written in YAML or TypeScript (defaults not applied). */
export type MonitorDefinition = z.input<typeof MonitorSchema>;
/** A validated monitor, defaults applied. */
export type ParsedMonitor = z.output<typeof MonitorSchema>;

/** Validates a monitor; QUALITY_INVALID_DEFINITION lists every problem, prefixed by `where` (a file, an asset key). */
export function parseMonitor(input: unknown, where?: string): ParsedMonitor {
  const prefix = `${where === undefined ? '' : `${where}: `}invalid monitor: `;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new QualityError('QUALITY_INVALID_DEFINITION', `${prefix}a monitor is a mapping with at least a metric (metric: row_count)`);
  }
  const parsed = MonitorSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new QualityError('QUALITY_INVALID_DEFINITION', `${prefix}${problems(parsed.error.issues).join('; ')}`);
}

/** `field: message` per issue; for a union, the issues of the alternative whose shape the value has (`stat: …`). */
function problems(issues: readonly z.core.$ZodIssue[], parent: readonly PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...parent, ...issue.path];
    if (issue.code === 'invalid_union') {
      const matching = issue.errors.filter((branch) => branch.every((i) => i.path.length > 0));
      if (matching.length === 1) return problems(matching[0] ?? [], path);
    }
    return [`${path.length > 0 ? `${path.map(String).join('.')}: ` : ''}${issue.message}`];
  });
}

/** The `detectAnomaly` options of a monitor; `subject` (an asset key) completes the label (`row count of parks.silver.bookings`). */
export function monitorOptions(monitor: MonitorDefinition, subject?: string): DetectOptions {
  return {
    label: metricLabel(monitor.metric, subject),
    ...(monitor.seasonality === undefined ? {} : { seasonality: monitor.seasonality }),
    ...(monitor.sensitivity === undefined ? {} : { sensitivity: monitor.sensitivity }),
    ...(monitor.min_history === undefined ? {} : { minHistory: monitor.min_history }),
    ...(monitor.time_zone === undefined ? {} : { timeZone: monitor.time_zone }),
    ...(monitor.window_days === undefined ? {} : { windowDays: monitor.window_days }),
  };
}
