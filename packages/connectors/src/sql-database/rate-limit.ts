import { setTimeout as sleep } from 'node:timers/promises';
import { canceled } from './errors.ts';

/**
 * Keeps the average rate of bytes sent under a limit: before each send, it waits until the bytes
 * already sent fit in the time elapsed since the first send at `bytesPerSecond`. Bursts are thus
 * at most one batch. Without a limit, it never waits.
 */
export class ByteRateLimiter {
  private sent = 0;
  private startedAt: number | undefined;

  constructor(private readonly bytesPerSecond: number | undefined) {}

  /** Waits for the budget of the next send; fails with CONNECTOR_CANCELED when `signal` aborts meanwhile. */
  async wait(signal: AbortSignal, where: string): Promise<void> {
    if (signal.aborted) throw canceled(where);
    if (!this.bytesPerSecond) return;
    const now = performance.now();
    this.startedAt ??= now;
    const delay = this.startedAt + (this.sent / this.bytesPerSecond) * 1000 - now;
    if (delay <= 0) return;
    try {
      await sleep(delay, undefined, { signal });
    } catch (e) {
      if (signal.aborted) throw canceled(where);
      throw e;
    }
  }

  /** Counts bytes that were sent. */
  record(bytes: number): void {
    this.sent += bytes;
  }
}
