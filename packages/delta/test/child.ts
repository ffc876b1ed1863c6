import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A TypeScript script run in a child process (through tsx, from the repository root), its stdout read line by line. */
export class Child {
  readonly lines: string[] = [];
  stderr = '';
  /** Resolves when the process has exited and its output is closed. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: { matches: (line: string) => boolean; resolve: () => void }[] = [];
  private readonly proc: ChildProcessWithoutNullStreams;

  constructor(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.NODE_TEST_CONTEXT;
    this.proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: childEnv });
    let buffer = '';
    this.proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        this.lines.push(line);
        for (const w of this.waiters.filter((x) => x.matches(line))) w.resolve();
      }
    });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exit = new Promise((resolve, reject) => {
      this.proc.on('error', reject);
      this.proc.on('close', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Resolves once the child printed this exact line; fails if it exits first. */
  async line(text: string): Promise<void> {
    if (this.lines.includes(text)) return;
    const seen = new Promise<void>((resolve) => this.waiters.push({ matches: (l) => l === text, resolve }));
    const first = await Promise.race([seen.then(() => undefined), this.exit]);
    if (first !== undefined) assert.fail(`the child exited (${first.code ?? first.signal}) before printing "${text}": ${this.stderr}`);
  }

  /** Writes one line to the child's stdin and closes it. */
  send(line: string): void {
    this.proc.stdin.end(`${line}\n`);
  }

  kill(signal: NodeJS.Signals): void {
    this.proc.kill(signal);
  }

  /** Waits for the exit and asserts it was clean. */
  async succeeded(): Promise<void> {
    const { code, signal } = await this.exit;
    assert.equal(code, 0, `child failed (${code ?? signal}): ${this.stderr}`);
  }
}
