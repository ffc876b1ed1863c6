import { ConnectorError } from '../errors.ts';

function canceled(): ConnectorError {
  return new ConnectorError('CONNECTOR_CANCELED', 'canceled while waiting to send a request');
}

/** Resolves after `ms`; rejects with CONNECTOR_CANCELED as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(canceled());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(canceled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A token bucket holding one token, refilled at `requestsPerSecond`: requests leave at least
 * 1/requestsPerSecond apart, in the order they asked. Shared by all streams of a source.
 */
export class RequestSpacer {
  private readonly intervalMs: number;
  private last = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(requestsPerSecond: number) {
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when the caller may send; rejects with CONNECTOR_CANCELED as soon as `signal` aborts. */
  acquire(signal: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      if (signal.aborted) throw canceled();
      // Measured from the previous request's departure, so a late timer never shortens the gap.
      for (let wait = this.last + this.intervalMs - performance.now(); wait > 0; wait = this.last + this.intervalMs - performance.now()) {
        await sleep(Math.ceil(wait), signal);
      }
      this.last = performance.now();
    });
    this.queue = turn.catch(() => undefined);
    return untilAborted(turn, signal);
  }
}

/** `promise`, or a CONNECTOR_CANCELED rejection as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(canceled());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(canceled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Limits how many requests are in flight at once; waiters are served first come, first served. */
export class Semaphore {
  private available: number;
  private readonly waiters: { grant: () => void }[] = [];

  constructor(limit: number) {
    this.available = limit;
  }

  /** Resolves with a release function once a slot is free; rejects with CONNECTOR_CANCELED when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(canceled());
    if (this.available > 0) {
      this.available--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = (): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(canceled());
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant();
      else this.available++;
    };
  }
}
