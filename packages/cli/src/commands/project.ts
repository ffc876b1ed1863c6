import type { Command } from 'commander';
import type { RunEvent , StrataProject} from '@strata/core';
import { ComponentRegistry, Daemon, initProject, loadProjectConfig } from '@strata/core';
import { connectorComponents } from '@strata/connectors';
import { CliError } from '../errors.ts';
import type { Out } from './shared.ts';
import { collect, positiveInt, untilStopped, withProject } from './shared.ts';
import { buildApp } from '@strata/server';
import { formatRows } from '../format.ts';
import { ProgressBar } from '../progress.ts';

/** A daemon that reports what it launches, how runs end and what failed. */
function reportingDaemon(project: StrataProject, out: Out): Daemon {
  const at = () => new Date().toISOString();
  return new Daemon(project, {
    onLaunch: (trigger, select) => out(`${at()} ${trigger}: launching ${select.join(' ')}`),
    onRun: (r) => out(`${at()} ${r.trigger}: run ${r.outcome.runId} ${r.outcome.status}`),
    onError: (what, e) => out(`${at()} ${what}: ${e instanceof Error ? e.message : String(e)}`),
  });
}

function progressLine(e: RunEvent): string | undefined {
  const time = e.timestamp.toISOString().slice(11, 19);
  switch (e.type) {
    case 'step_started':
    case 'step_succeeded':
    case 'step_failed':
    case 'step_skipped':
    case 'step_retry':
    case 'run_succeeded':
    case 'run_failed':
    case 'run_canceled':
      return `${time} ${e.message}`;
    case 'log':
      return `${time}   ${e.assetKey ?? ''} ${e.level}: ${e.message}`;
    default:
      return undefined;
  }
}

/** Project commands: init, list, materialize, runs, logs, query. */
export function registerProjectCommands(program: Command, out: Out): void {
  program.option('-p, --project <dir>', 'project folder (default: the current folder)', '.');
  const dirOf = () => (program.opts() as { project: string }).project;

  program
    .command('init <dir>')
    .description('Create a project that materializes at once')
    .action(async (dir: string) => {
      const files = await initProject(dir);
      for (const f of files) out(`created ${f}`);
      out(`next: cd ${dir} && npx strata materialize`);
    });

  program
    .command('list')
    .description('List assets (in dependency order)')
    .option('-s, --select <selection>', 'selection (repeatable): key, glob, +key, key+, tag:, layer:, domain:', collect)
    .option('--json', 'print JSON')
    .action(async (o: { select?: string[]; json?: boolean }) => {
      const assets = await withProject(dirOf(), async (p) => p.select(o.select));
      if (o.json) {
        const rows = assets.map((a) => ({
          key: a.key,
          layer: a.layer,
          kind: a.kind,
          materialization: a.materialization,
          deps: a.deps,
          tags: a.tags,
          description: a.description,
          source: a.source,
        }));
        return out(JSON.stringify(rows, null, 2));
      }
      for (const a of assets) out(`${a.key.padEnd(40)} ${a.materialization.kind.padEnd(12)} ${a.deps.length ? `← ${a.deps.join(', ')}` : ''}`);
    });

  program
    .command('materialize')
    .description('Materialize the selected assets (all by default) in one run')
    .option('-s, --select <selection>', 'selection (repeatable)', collect)
    .option('--partition <key>', 'partition of partitioned assets (repeatable)', collect)
    .option('--concurrency <n>', 'steps at once', positiveInt('--concurrency'))
    .option('--reexecute <runId>', 'run again the failed and skipped steps of a run')
    .action(async (o: { select?: string[]; partition?: string[]; concurrency?: number; reexecute?: string }) => {
      const bar = new ProgressBar();
      const outcome = await untilStopped(
        (signal) =>
          withProject(dirOf(), (p) => {
            const onEvent = (e: RunEvent) => {
              const line = progressLine(e);
              bar.clear();
              if (line) out(line);
              bar.update(e);
            };
            const common = { partitions: o.partition, concurrency: o.concurrency, signal, onEvent };
            return o.reexecute ? p.reexecute(o.reexecute, common) : p.materialize({ ...common, select: o.select });
          }),
        () => out('canceling: running steps are stopped before they commit'),
      );
      out(`run ${outcome.runId}: ${outcome.status}`);
      if (outcome.status !== 'success') throw new CliError('CLI_RUN_FAILED', `run ${outcome.runId} ${outcome.status}; see: strata logs ${outcome.runId}`);
    });

  program
    .command('backfill')
    .description('Materialize a range of partitions of partitioned assets, one run per partition')
    .requiredOption('-s, --select <selection>', 'selection of partitioned assets (repeatable)', collect)
    .option('--from <partition>', 'first partition key (default: the first)')
    .option('--to <partition>', 'last partition key (default: the last complete window)')
    .option('--parallelism <n>', 'runs at once', positiveInt('--parallelism'), 2)
    .action(async (o: { select: string[]; from?: string; to?: string; parallelism: number }) => {
      const result = await untilStopped((signal) =>
        withProject(dirOf(), (p) =>
          p.backfill({
            select: o.select,
            from: o.from,
            to: o.to,
            parallelism: o.parallelism,
            signal,
            onEvent: (e) => {
              if (e.type === 'step_succeeded' || e.type === 'step_failed' || e.type === 'step_skipped') out(progressLine(e) ?? '');
            },
          }),
        ),
      );
      const failed = [...result.runs].filter(([, r]) => r.status !== 'success');
      out(`backfill ${result.backfillId}: ${result.runs.size - failed.length} of ${result.partitions.length} partitions succeeded`);
      for (const [p, r] of failed) out(`  ${p}: ${r.status} (run ${r.runId})`);
      if (failed.length > 0 || result.runs.size < result.partitions.length) {
        throw new CliError('CLI_RUN_FAILED', `backfill ${result.backfillId}: ${failed.length} partition(s) failed, ${result.partitions.length - result.runs.size} not run`);
      }
    });

  program
    .command('partitions <asset>')
    .description('Status of each partition of an asset')
    .option('--json', 'print JSON')
    .action(async (asset: string, o: { json?: boolean }) => {
      const status = await withProject(dirOf(), async (p) => p.partitionStatus(p.select(asset)[0]?.key ?? asset));
      if (o.json) return out(JSON.stringify(status, null, 2));
      for (const s of status) out(`${s.partition.padEnd(14)} ${s.status.padEnd(13)} ${s.materializedAt?.toISOString() ?? ''}`);
    });

  program
    .command('daemon')
    .description('Run schedules, sensors and freshness automation until stopped (Ctrl-C)')
    .option('--interval <ms>', 'time between evaluations', positiveInt('--interval'), 1000)
    .action(async (o: { interval: number }) => {
      await untilStopped((signal) =>
        withProject(dirOf(), async (p) => {
          const { schedules, sensors, automation } = p.config;
          out(`daemon: ${schedules.length} schedule(s), ${sensors.length} sensor(s), ${automation.length} automation rule(s); Ctrl-C to stop`);
          await reportingDaemon(p, out).run(signal, o.interval);
        }),
      );
      out('daemon stopped');
    });

  program
    .command('dev')
    .description('Run the daemon (schedules, sensors, automation) and the HTTP API in one process')
    .option('--port <port>', 'HTTP port', positiveInt('--port'), 3000)
    .option('--host <host>', 'HTTP host', '127.0.0.1')
    .action(async (o: { port: number; host: string }) => {
      await untilStopped((signal) =>
        withProject(dirOf(), async (p) => {
          const app = buildApp({ project: p, onRun: (r) => out(`${new Date().toISOString()} api: run ${r.runId} ${r.status}`) });
          await app.listen({ port: o.port, host: o.host });
          out(`API on http://${o.host}:${o.port}/api (assets, runs); daemon running; Ctrl-C to stop`);
          try {
            await reportingDaemon(p, out).run(signal);
          } finally {
            await app.close();
          }
        }),
      );
      out('stopped');
    });

  program
    .command('components')
    .description('List the YAML components a project can use, with their JSON Schema')
    .option('--json', 'print the JSON Schema of each')
    .action(async (o: { json?: boolean }) => {
      const registry = new ComponentRegistry();
      for (const c of connectorComponents) registry.register(c);
      const config = await loadProjectConfig(dirOf());
      await registry.load(config.components, dirOf());
      const list = registry.list();
      if (o.json) return out(JSON.stringify(list.map((c) => ({ name: c.name, description: c.description, schema: registry.jsonSchema(c.name) })), null, 2));
      for (const c of list) out(`${c.name.padEnd(24)} ${c.description}`);
    });

  program
    .command('runs')
    .description('List recent runs, newest first')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 20)
    .option('--json', 'print JSON')
    .action(async (o: { limit: number; json?: boolean }) => {
      const runs = await withProject(dirOf(), (p) => p.runs.listRuns({ limit: o.limit }));
      if (o.json) return out(JSON.stringify(runs, null, 2));
      for (const r of runs) {
        const took = r.startedAt && r.endedAt ? `${((r.endedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1)} s` : '';
        out(`${r.runId}  ${r.createdAt.toISOString()}  ${r.status.padEnd(8)} ${String(r.steps.length).padStart(4)} steps  ${took.padStart(8)}  ${r.trigger}`);
      }
    });

  program
    .command('logs <runId>')
    .description('Show the events of a run')
    .option('--json', 'print JSON')
    .action(async (runId: string, o: { json?: boolean }) => {
      const events = await withProject(dirOf(), async (p) => {
        if (!(await p.runs.getRun(runId))) throw new CliError('CLI_USAGE', `no run ${runId}; list runs with: strata runs`);
        return p.runs.events(runId);
      });
      if (o.json) return out(JSON.stringify(events, null, 2));
      for (const e of events) {
        out(`${e.timestamp.toISOString()} ${e.level.toUpperCase().padEnd(5)} ${e.type.padEnd(15)} ${e.message}`);
        const stack = e.data?.stack;
        if (e.type === 'step_failed' && typeof stack === 'string') out(stack.replace(/^/gm, '    '));
      }
    });

  program
    .command('query <sql>')
    .description('Run SQL over the assets (select … from silver.orders)')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--domain <domain>', 'domain that layer.table names resolve in')
    .action(async (sql: string, o: { format: string; domain?: string }) => {
      if (!['table', 'json', 'csv'].includes(o.format)) throw new CliError('CLI_USAGE', `--format must be table, json or csv, not ${o.format}`);
      const rows = await withProject(dirOf(), (p) => p.query(sql, o.domain));
      for (const line of formatRows(rows, o.format as 'table' | 'json' | 'csv')) out(line);
    });
}
