import { Cron } from 'croner';
import { CoreError } from '../errors.ts';

/** The cron ticks of an expression in a time zone. */
export function cronOf(expression: string, timezone: string, where: string): Cron {
  try {
    return new Cron(expression, { timezone, paused: true });
  } catch (e) {
    throw new CoreError('CORE_INVALID_CONFIG', `${where}: invalid cron "${expression}": ${(e as Error).message}`);
  }
}

/**
 * The latest tick due since `after` and at or before `now`, if any. Missed ticks collapse into
 * one: a daemon that was down runs a schedule once when it comes back, not once per missed tick.
 */
export function dueTick(cron: Cron, after: Date, now: Date): Date | undefined {
  let due: Date | undefined;
  let t = cron.nextRun(after);
  while (t && t.getTime() <= now.getTime()) {
    due = t;
    t = cron.nextRun(t);
  }
  return due;
}
