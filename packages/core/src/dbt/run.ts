import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Engine } from '@strata/delta';
import { DuckDbEngine } from '@strata/delta';
import { openStore } from '@strata/storage';
import type { RunStorage } from '../run-storage/index.ts';
import { openRunStorage } from '../run-storage/index.ts';
import { projectPath } from '../project/config.ts';
import type { DbtBuildOptions, DbtBuildResult } from './build.ts';
import { buildDbtProject } from './build.ts';
import type { DbtLoadOptions, DbtProject } from './load.ts';
import { loadDbtProject } from './load.ts';

export interface DbtRunOptions extends DbtLoadOptions, Pick<DbtBuildOptions, 'concurrency' | 'signal' | 'onResult' | 'onEvent'> {
  /** Where the tables go: a folder or s3://bucket/prefix (default `<dir>/target/strata-lake`). */
  readonly lake?: string;
  /** Run history: a SQLite file, postgres://… or memory: (default `<dir>/target/strata-runs.db`). */
  readonly metadata?: string;
  /** A DuckDB session to use (kept open); a new one by default. */
  readonly engine?: Engine;
  /** A run storage to use (kept open) instead of `metadata`. */
  readonly runs?: RunStorage;
}

/**
 * `strata dbt build <dir>`: loads the dbt project in `dir` and builds it into a Strata lake, with
 * its run recorded in Strata's run storage. No profiles.yml is needed.
 */
export async function runDbtBuild(dir: string, options: DbtRunOptions = {}): Promise<DbtBuildResult & { project: DbtProject }> {
  const root = resolve(dir);
  const project = await loadDbtProject(root, options);
  const engine = options.engine ?? (await DuckDbEngine.create());
  try {
    let runs = options.runs;
    if (!runs) {
      const url = options.metadata ?? join(root, 'target', 'strata-runs.db');
      const path = /^(postgres(ql)?|memory|sqlite):/.test(url) ? url : projectPath(root, url);
      if (!/^[a-z]+:/.test(path)) mkdirSync(dirname(path), { recursive: true });
      runs = await openRunStorage(path);
    }
    try {
      const lake = openStore(projectPath(root, options.lake ?? join('target', 'strata-lake')));
      const result = await buildDbtProject(project, { ...options, lake, runs, engine });
      return { ...result, project };
    } finally {
      if (!options.runs) await runs.close();
    }
  } finally {
    if (!options.engine) await engine.close();
  }
}
