import type { RunEvent } from '@strata/core';

/**
 * A one-line progress bar on a terminal (stderr), redrawn under the step lines as events arrive:
 * `[########------------] 12/30 steps · 2 running · 1 failed`. Does nothing when stderr is not a TTY.
 */
export class ProgressBar {
  private total = 0;
  private done = 0;
  private running = 0;
  private failed = 0;
  private readonly tty = process.stderr.isTTY === true;

  /** Call before printing a line, so the bar does not mix with it. */
  clear(): void {
    if (this.tty && this.total > 0) process.stderr.write('\r\x1b[2K');
  }

  update(e: RunEvent): void {
    if (e.type === 'run_started') this.total = Number(/(\d+) step/.exec(e.message)?.[1] ?? 0);
    else if (e.type === 'step_started' && e.data?.attempt === 1) this.running++;
    else if (e.type === 'step_succeeded' || e.type === 'step_failed') {
      this.running = Math.max(0, this.running - 1);
      this.done++;
      if (e.type === 'step_failed') this.failed++;
    } else if (e.type === 'step_skipped') {
      this.done++;
    }
    this.draw(e.type.startsWith('run_') && e.type !== 'run_started');
  }

  private draw(final: boolean): void {
    if (!this.tty || this.total === 0) return;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total} steps · ${this.running} running${this.failed ? ` · ${this.failed} failed` : ''}`;
    process.stderr.write(`\r\x1b[2K${bar}${final ? '\n' : ''}`);
  }
}
