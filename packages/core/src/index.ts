export { CoreError, CoreErrorCodes, isCoreError } from './errors.ts';
export type { CoreErrorCode } from './errors.ts';
export { defineAsset } from './definitions/asset.ts';
export type { AssetContext, AssetDefinition, AssetLake, AssetLogger, ComputeOutput, ResolvedAsset, RetryPolicy, Row } from './definitions/asset.ts';
export { DEFAULT_LAYERS, companionKey, formatAssetKey, normalizeAssetKey, parseAssetKey } from './definitions/asset-key.ts';
export type { AssetKeyParts } from './definitions/asset-key.ts';
export type { Materialization } from './definitions/materialization.ts';
export { partitionKeyAt, partitionKeys, partitionPredicate } from './definitions/partitions.ts';
export type { PartitionsDefinition } from './definitions/partitions.ts';
export { AssetGraph } from './graph/asset-graph.ts';
export type { GraphRules } from './graph/asset-graph.ts';
export { resolveSelection } from './graph/selection.ts';
export { backoff, executePlan, planRun } from './execution/index.ts';
export type { Plan, RunOutcome, Step, StepResult, StepRunner, StepStatus } from './execution/index.ts';
export { Lakehouse } from './lakehouse/lakehouse.ts';
export { Relation } from './relation/relation.ts';
export { ProjectConfigSchema, loadProjectConfig } from './project/config.ts';
export type { ProjectConfig } from './project/config.ts';
export { loadProject } from './project/load.ts';
export { resolveAsset } from './project/resolve-asset.ts';
export { ComponentRegistry } from './components/registry.ts';
export { defineComponent } from './components/component.ts';
export type { ComponentContext, ComponentDefinition } from './components/component.ts';
export { initProject } from './project/init.ts';
export { StrataProject } from './project/project.ts';
export type { BackfillOptions, BackfillResult, MaterializeOptions, PartitionStatus } from './project/project.ts';
export type {
  CheckResultRecord,
  EventLevel,
  MaterializationRecord,
  MemoryRunStorageConfig,
  PostgresRunStorageConfig,
  RunEvent,
  RunEventType,
  RunFilter,
  RunPatch,
  RunRecord,
  RunStatus,
  RunStorage,
  SqliteRunStorageConfig,
} from './run-storage/index.ts';
export { MemoryRunStorage, PostgresRunStorage, SqliteRunStorage, openRunStorage } from './run-storage/index.ts';
export { Daemon } from './automation/daemon.ts';
export type { DaemonOptions, LaunchedRun } from './automation/daemon.ts';
export type { AutomationConfig, ScheduleConfig, SensorConfig } from './project/config.ts';
export { defineResource } from './resources/resource.ts';
export type { ResourceDefinition } from './resources/resource.ts';
export { buildDbtProject, loadDbtProject, parseVars, runDbtBuild } from './dbt/index.ts';
export type { DbtBuildOptions, DbtBuildResult, DbtCounts, DbtNode, DbtNodeResult, DbtProject, DbtRunOptions, DbtStatus, DbtTest } from './dbt/index.ts';
