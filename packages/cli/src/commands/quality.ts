import type { Command } from 'commander';
import type { CheckResultRecord, RunEvent } from '@strata/core';
import { describeSchema, diffContractWithSchema, diffContracts, formatDiff, loadContract } from '@strata/quality';
import type { ContractDiff } from '@strata/quality';
import { CliError } from '../errors.ts';
import type { Out } from './shared.ts';
import { collect, untilStopped, withProject } from './shared.ts';

function resultLine(r: CheckResultRecord): string {
  const status = r.passed ? 'PASS' : r.severity === 'error' ? 'FAIL' : 'WARN';
  const where = `${r.assetKey}${r.partition ? `[${r.partition}]` : ''}`;
  const message = typeof r.metadata.message === 'string' ? r.metadata.message : '';
  return `${status.padEnd(5)} ${where.padEnd(36)} ${r.checkName.padEnd(36)} ${r.passed ? '' : message}`.trimEnd();
}

/** Quality commands: checks (results), check (run checks alone), contract diff. */
export function registerQualityCommands(program: Command, out: Out): void {
  const dirOf = () => (program.opts() as { project: string }).project;

  program
    .command('checks')
    .description('Latest check results of the selected assets (one line per check)')
    .option('-s, --select <selection>', 'selection (repeatable)', collect)
    .option('--all', 'every recorded result, not only the latest of each check')
    .option('--failed', 'only failed checks')
    .option('--json', 'print JSON (with samples and metrics)')
    .action(async (o: { select?: string[]; all?: boolean; failed?: boolean; json?: boolean }) => {
      const results = await withProject(dirOf(), async (p) => {
        const keys = p.select(o.select).map((a) => a.key);
        const all = (await Promise.all(keys.map((k) => p.runs.checkResults({ assetKey: k, limit: o.all ? 1000 : 200 })))).flat();
        const seen = new Set<string>();
        return all.filter((r) => {
          const id = `${r.assetKey}|${r.partition ?? ''}|${r.checkName}`;
          if (!o.all && seen.has(id)) return false;
          seen.add(id);
          return !o.failed || !r.passed;
        });
      });
      if (o.json) return out(JSON.stringify(results, null, 2));
      if (results.length === 0) return out('no check results: run strata materialize or strata check');
      for (const r of results) out(resultLine(r));
      const failed = results.filter((r) => !r.passed);
      out(`${results.length - failed.length} passed, ${failed.filter((r) => r.severity === 'error').length} failed, ${failed.filter((r) => r.severity === 'warn').length} warned`);
    });

  program
    .command('expect <asset> <check>')
    .description("Mark a monitor's flagged value (or a check's result) of a run as expected: it stops alarming and joins the baseline")
    .requiredOption('--run <runId>', 'the run whose result is expected')
    .option('--partition <key>', 'the partition, for partitioned assets')
    .action(async (asset: string, check: string, o: { run: string; partition?: string }) => {
      await withProject(dirOf(), (p) => p.markExpected(asset, check, o.run, o.partition));
      out(`marked ${check} of ${asset}${o.partition ? `[${o.partition}]` : ''} in run ${o.run} as expected`);
    });

  program
    .command('check')
    .description('Run the checks of the selected assets on their current tables, without materializing')
    .option('-s, --select <selection>', 'selection (repeatable)', collect)
    .option('--partition <key>', 'partition of partitioned assets (repeatable)', collect)
    .action(async (o: { select?: string[]; partition?: string[] }) => {
      const outcome = await untilStopped((signal) =>
        withProject(dirOf(), (p) =>
          p.check({
            select: o.select,
            partitions: o.partition,
            signal,
            onEvent: (e: RunEvent) => {
              if (e.type === 'check_result') out(`${e.level === 'info' ? 'PASS' : e.level === 'warn' ? 'WARN' : 'FAIL'}  ${e.assetKey ?? ''}  ${e.message}`);
            },
          }),
        ),
      );
      out(`run ${outcome.runId}: ${outcome.status}`);
      if (outcome.status !== 'success') throw new CliError('CLI_RUN_FAILED', `checks failed in run ${outcome.runId}; see: strata checks --failed`);
    });

  const contract = program.command('contract').description('Data contracts');
  contract
    .command('diff [old] [new]')
    .description('Breaking changes between contracts and their tables, or between two versions of a contract file; exits 1 on a breaking change')
    .option('-s, --select <selection>', 'assets whose contract is compared with their table (repeatable)', collect)
    .option('--json', 'print JSON')
    .option('--no-fail', 'exit 0 even when a change is breaking')
    .action(async (oldFile: string | undefined, newFile: string | undefined, o: { select?: string[]; json?: boolean; fail: boolean }) => {
      let diffs: ContractDiff[];
      if (oldFile !== undefined) {
        if (newFile === undefined) throw new CliError('CLI_USAGE', 'contract diff <old> <new> compares two contract files; give both');
        diffs = [diffContracts(await loadContract(oldFile), await loadContract(newFile))];
      } else {
        diffs = await withProject(dirOf(), async (p) => {
          const governed = p.select(o.select).filter((a) => a.contract);
          if (governed.length === 0) throw new CliError('CLI_USAGE', 'no selected asset has a contract (*.contract.yaml)');
          const out: ContractDiff[] = [];
          for (const a of governed) {
            await p.prepareViews([a.key]);
            const actual = await describeSchema(p.engine, `SELECT * FROM "${a.domain}"."${a.layer}"."${a.name}"`).catch(() => {
              throw new CliError('CLI_INPUT', `${a.key} has not been materialized yet: nothing to compare its contract with`);
            });
            out.push(diffContractWithSchema((a.contract as { contract: Parameters<typeof diffContractWithSchema>[0] }).contract, actual));
          }
          return out;
        });
      }
      if (o.json) out(JSON.stringify(diffs.length === 1 ? diffs[0] : diffs, null, 2));
      else for (const d of diffs) out(formatDiff(d));
      const breaking = diffs.filter((d) => d.breaking);
      if (breaking.length > 0 && o.fail) throw new CliError('CLI_RUN_FAILED', `${breaking.length} contract(s) with breaking changes`);
    });
}
