import type { ObjectStore } from '@strata/storage';
import type { Action } from '../actions/index.ts';
import { parseActions } from '../actions/index.ts';
import type { Engine } from '../engine/index.ts';
import { strList } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import { localFiles } from '../io/local-files.ts';
import { storageCall } from '../io/storage-call.ts';
import { LOG_DIR } from '../log-segment/file-names.ts';
import type { CheckpointFiles } from '../log-segment/log-segment.ts';

/**
 * Reads every action of a checkpoint: classic, multi-part, and v2 (JSON or Parquet top-level file
 * with sidecar files under `_delta_log/_sidecars/`).
 */
export async function readCheckpoint(store: ObjectStore, engine: Engine, checkpoint: CheckpointFiles): Promise<Action[]> {
  const where = `checkpoint ${checkpoint.version} of ${store.root}`;
  const top =
    checkpoint.format === 'json'
      ? parseActions(await storageCall(`read ${where}`, () => store.get(checkpoint.keys[0] as string)), where)
      : await readParquetActions(store, engine, checkpoint.keys, where);
  const sidecars = top.filter((a) => a.sidecar).map((a) => a.sidecar as NonNullable<Action['sidecar']>);
  if (sidecars.length === 0) return top;
  const keys = sidecars.map((s) => (s.path.includes('/') ? decodeURIComponent(s.path) : `${LOG_DIR}/_sidecars/${decodeURIComponent(s.path)}`));
  const fromSidecars = await readParquetActions(store, engine, keys, `sidecars of ${where}`);
  return [...top.filter((a) => !a.sidecar), ...fromSidecars];
}

async function readParquetActions(store: ObjectStore, engine: Engine, keys: readonly string[], where: string): Promise<Action[]> {
  const paths = await localFiles(
    store,
    keys.map((key) => ({ key })),
    engine.tempDir,
  );
  let rows: { a: string }[];
  try {
    rows = await engine.query<{ a: string }>(`SELECT to_json(t)::VARCHAR AS a FROM read_parquet(${strList(paths)}, union_by_name = true) t`);
  } catch (e) {
    throw new DeltaError('DELTA_STATE_RECONSTRUCTION', `${where}: cannot read checkpoint: ${(e as Error).message}`, { cause: e });
  }
  const actions: Action[] = [];
  for (const { a } of rows) {
    const row = JSON.parse(a) as Record<string, unknown>;
    for (const [kind, value] of Object.entries(row)) {
      if (value !== null && typeof value === 'object') actions.push({ [kind]: value } as Action);
    }
  }
  return actions;
}
