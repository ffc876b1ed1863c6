import { sleep } from './rate-limit.ts';

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** The longest Retry-After honoured; the caller fails at once when asked to wait longer. */
  readonly maxRetryAfterMs: number;
}

/** The outcome of one attempt: a value, or a transient failure worth retrying. */
export type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** The error to throw when no retry is left, given how many retries were made. */
      readonly fail: (retried: number) => Error;
      /** The server's Retry-After, which replaces the backoff delay. */
      readonly retryAfterMs?: number;
    };

/**
 * Runs `attempt` until it succeeds. Transient failures are retried up to `maxRetries` times, after
 * the server's Retry-After or else an exponential backoff with full jitter; an error thrown by
 * `attempt` is permanent and propagates at once. Waiting rejects with CONNECTOR_CANCELED on abort.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal,
  attempt: () => Promise<Attempt<T>>,
  onRetry?: (retry: number, delayMs: number) => void,
): Promise<T> {
  for (let retried = 0; ; retried++) {
    const outcome = await attempt();
    if (outcome.ok) return outcome.value;
    if (retried >= policy.maxRetries) throw outcome.fail(retried);
    const delay = outcome.retryAfterMs ?? backoffDelay(retried, policy);
    onRetry?.(retried + 1, delay);
    await sleep(delay, signal);
  }
}

/** Full jitter: a random delay between 0 and min(maxDelayMs, initialDelayMs × 2^retried). */
export function backoffDelay(retried: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retried);
  return Math.floor(random() * ceiling);
}

/** Milliseconds to wait from a Retry-After header (delay in seconds or an HTTP date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
