import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbEngine } from '@strata/delta';
import type { BenchmarkName } from './args.ts';
import { USAGE, parseConfig } from './args.ts';
import { csvIngest } from './csv-ingest.ts';
import { qualityChecks } from './quality-checks.ts';
import { restIngest } from './rest-ingest.ts';
import type { Benchmark } from './context.ts';
import { describeMachine, loadAverageNow } from './machine.ts';
import { orchestration } from './orchestration.ts';
import type { BenchmarkResult, RunReport } from './report.ts';
import { renderMachine, renderResults, writeJson } from './report.ts';
import { skipping } from './skipping.ts';
import { snapshotLoad } from './snapshot-load.ts';
import { timed } from './timing.ts';
import { writeScan } from './write-scan.ts';

const BENCHMARKS: Record<BenchmarkName, Benchmark> = {
  'write-scan': writeScan,
  'snapshot-load': snapshotLoad,
  skipping,
  orchestration,
  'csv-ingest': csvIngest,
  'rest-ingest': restIngest,
  'quality-checks': qualityChecks,
};

const RESULTS_DIR = fileURLToPath(new URL('../../.bench/', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  let config;
  try {
    config = parseConfig(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!config) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  const work = await mkdtemp(join(tmpdir(), 'strata-bench-'));
  const engine = await DuckDbEngine.create({ threads: config.threads, memoryLimit: config.memoryLimit });
  // Ctrl-C must not leave gigabytes of Parquet behind.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(work, { recursive: true, force: true });
    rmSync(engine.tempDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const machine = await describeMachine(engine);
    console.log(`${renderMachine(machine)}\n`);
    const results: BenchmarkResult[] = [];
    const total = await timed(async () => {
      for (const name of config.benchmarks) {
        const dir = join(work, name);
        await mkdir(dir);
        console.error(`${name}…`);
        const { ms, value } = await timed(() => BENCHMARKS[name]({ engine, config, dir }));
        console.error(`${name} done in ${(ms / 1000).toFixed(1)} s`);
        results.push(value);
        await rm(dir, { recursive: true, force: true });
      }
    });
    console.log(renderResults(results));
    const report: RunReport = {
      startedAt,
      command,
      machine,
      config,
      totalSeconds: Math.round(total.ms / 100) / 10,
      loadAverageAtEnd: loadAverageNow(),
      results,
    };
    const file = await writeJson(RESULTS_DIR, report);
    console.log(`\n${command} — ${report.totalSeconds} s, load average at the end ${report.loadAverageAtEnd.join(' / ')}; results in ${file}`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close();
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
