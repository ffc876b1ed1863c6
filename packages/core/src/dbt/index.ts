export { loadDbtProject } from './load.ts';
export type { DbtLoadOptions, DbtNode, DbtProject, DbtResourceType } from './load.ts';
export { buildDbtProject } from './build.ts';
export type { DbtBuildOptions, DbtBuildResult, DbtCounts, DbtNodeResult, DbtStatus } from './build.ts';
export { parseVars } from './project-file.ts';
export { runDbtBuild } from './run.ts';
export type { DbtRunOptions } from './run.ts';
export type { DbtTest } from './tests.ts';
