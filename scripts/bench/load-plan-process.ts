// Loads and plans one project in a fresh process, as every `strata` command does, and prints
// {"ms": …, "steps": …} on stdout. Run by the orchestration benchmark:
//   node --import tsx scripts/bench/load-plan-process.ts <project dir>
import { performance } from 'node:perf_hooks';
import { loadProject, planRun, resolveSelection } from '@strata/core';
import { DuckDbEngine } from '@strata/delta';

const dir = process.argv[2];
if (!dir) throw new Error('usage: load-plan-process.ts <project dir>');
const engine = await DuckDbEngine.create();
try {
  const start = performance.now();
  const { graph } = await loadProject(dir, engine);
  const plan = planRun(graph, resolveSelection(graph, undefined));
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ ms, steps: plan.steps.length })}\n`);
} finally {
  await engine.close();
}
