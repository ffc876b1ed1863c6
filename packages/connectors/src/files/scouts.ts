import type { Engine } from '@strata/delta';

interface Job {
  run(scout: Engine): Promise<void>;
  fail(e: unknown): void;
}

/**
 * Sessions forked from the load's engine for work done ahead of the writer (sniffing CSV files,
 * reading their first row): it runs while the engine writes earlier files, on up to `size` files
 * at once. Jobs start in the order they were submitted, each on the first session free; a session
 * is forked when a job waits and fewer than `size` exist.
 */
export class Scouts {
  private readonly waiting: Job[] = [];
  private readonly idle: Engine[] = [];
  private readonly sessions: Promise<Engine>[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly size: number,
  ) {}

  run<T>(work: (scout: Engine) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ run: (scout) => work(scout).then(resolve, reject), fail: reject });
      this.dispatch();
    });
  }

  /** Closes the sessions; call once no job is running. */
  async close(): Promise<void> {
    this.idle.length = 0;
    const sessions = await Promise.allSettled(this.sessions.splice(0));
    for (const s of sessions) if (s.status === 'fulfilled') await s.value.close();
  }

  private dispatch(): void {
    const idle = this.idle.pop();
    if (idle !== undefined) return this.next(idle);
    if (this.waiting.length === 0 || this.sessions.length >= this.size) return;
    const forked = this.engine.fork();
    this.sessions.push(forked);
    forked.then(
      (scout) => this.next(scout),
      (e: unknown) => {
        for (const job of this.waiting.splice(0)) job.fail(e);
      },
    );
  }

  /** Runs the next waiting job on `scout`, then the one after, until none waits. */
  private next(scout: Engine): void {
    const job = this.waiting.shift();
    if (job === undefined) {
      this.idle.push(scout);
      return;
    }
    void job.run(scout).then(() => this.next(scout));
    // Another job may be waiting for a session that is not forked yet.
    if (this.waiting.length > 0) this.dispatch();
  }
}
