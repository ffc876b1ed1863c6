import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { DbtNodeResult } from '@strata/core';
import { parseVars, runDbtBuild } from '@strata/core';
import { CliError } from '../errors.ts';

type Out = (line: string) => void;

const LABELS: Record<DbtNodeResult['status'], string> = { success: 'OK', pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' };

/** One dbt-like progress line: `12:00:01  3 of 28 OK seed raw_payments ..... [INSERT 113 in 0.03s]`. */
export function resultLine(r: DbtNodeResult, index: number, total: number, now = new Date()): string {
  const label = r.failures !== undefined && r.status !== 'pass' ? `${LABELS[r.status]} ${r.failures}` : LABELS[r.status];
  const kind = r.resourceType === 'model' && r.materialized ? `${r.materialized} model` : r.resourceType;
  const what = `${label} ${kind} ${r.name}`;
  const detail = r.status === 'skipped' ? 'SKIP' : r.status === 'error' ? 'ERROR' : r.resourceType === 'test' ? label : r.message;
  const head = `${now.toISOString().slice(11, 19)}  ${String(index).padStart(String(total).length)} of ${total} ${what} `;
  return `${head.padEnd(Math.max(head.length + 1, 80), '.')} [${detail} in ${(r.durationMs / 1000).toFixed(2)}s]`;
}

/** `strata dbt build <dir>`: a dbt project built into a Strata lake. */
export function registerDbtCommands(program: Command, out: Out): void {
  const dbt = program.command('dbt').description('Run dbt projects on Strata (no dbt or profiles.yml needed)');
  dbt
    .command('build <dir>')
    .description('Load seeds, run models and their tests in dependency order, as dbt build does')
    .option('--lake <path>', 'where the tables go: a folder or s3://bucket/prefix (default: <dir>/target/strata-lake)')
    .option('--metadata <url>', 'run history: a SQLite file, postgres://… or memory: (default: <dir>/target/strata-runs.db)')
    .option('--threads <n>', 'nodes at once', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('--threads must be a whole number ≥ 1');
      return n;
    }, 4)
    .option('--vars <yaml>', "values of var(), as a YAML mapping: '{start_date: 2024-01-01}'")
    .option('--full-refresh', 'rebuild incremental models from scratch')
    .action(async (dir: string, o: { lake?: string; metadata?: string; threads: number; vars?: string; fullRefresh?: boolean }) => {
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        const result = await runDbtBuild(dir, {
          lake: o.lake === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(o.lake) ? o.lake : resolve(o.lake),
          metadata: o.metadata === undefined || /^[a-z]+:/i.test(o.metadata) ? o.metadata : resolve(o.metadata),
          concurrency: o.threads,
          vars: o.vars === undefined ? undefined : parseVars(o.vars),
          fullRefresh: o.fullRefresh === true,
          signal: controller.signal,
          onResult: (r, i, n) => out(resultLine(r, i, n)),
        });
        const problems = result.results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'warn');
        const { pass, warn, error, skip, total } = result.counts;
        if (problems.length > 0) {
          out('');
          out(`Completed with ${error} error${error === 1 ? '' : 's'} and ${warn} warning${warn === 1 ? '' : 's'}:`);
          for (const p of problems) out(`  ${p.status === 'warn' ? 'Warning' : 'Failure'} in ${p.resourceType} ${p.name}: ${p.message}`);
        }
        out('');
        out(`Done. PASS=${pass} WARN=${warn} ERROR=${error} SKIP=${skip} TOTAL=${total}`);
        out(`run ${result.runId}: ${result.status}`);
        if (result.status !== 'success') throw new CliError('CLI_RUN_FAILED', `dbt build ${result.status}: ${error} error(s), ${skip} skipped`);
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
