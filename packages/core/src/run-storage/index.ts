export type {
  CheckResultRecord,
  EventLevel,
  MaterializationRecord,
  RunEvent,
  RunEventType,
  RunFilter,
  RunPatch,
  RunRecord,
  RunStatus,
  RunStorage,
} from './types.ts';
export { MemoryRunStorage } from './memory/index.ts';
export type { MemoryRunStorageConfig } from './memory/index.ts';
export { SqliteRunStorage } from './sqlite/index.ts';
export type { SqliteRunStorageConfig } from './sqlite/index.ts';
export { PostgresRunStorage } from './postgres/index.ts';
export type { PostgresRunStorageConfig } from './postgres/index.ts';
export { openRunStorage } from './open-run-storage.ts';
