import { randomUUID } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Action } from '../actions/index.ts';
import { serializeActions } from '../actions/index.ts';
import { str } from '../engine/index.ts';
import { storageCall } from '../io/storage-call.ts';
import { LOG_DIR, classicCheckpointKey, lastCheckpointKey, padVersion } from '../log-segment/file-names.ts';
import { hasFeature } from '../protocol/features.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { TableContext } from './context.ts';
import { retentionMillis } from './retention.ts';

const DV = 'STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)';
const MAP = 'MAP(VARCHAR, VARCHAR)';
/** The checkpoint schema of the Delta protocol, as DuckDB types. */
const CHECKPOINT_COLUMNS: Record<string, string> = {
  txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)',
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT, clusteringProvider VARCHAR)`,
  remove: `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT)`,
  metaData: `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${MAP}, createdTime BIGINT)`,
  protocol: 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])',
  domainMetadata: 'STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)',
};

/** The actions a checkpoint of the snapshot holds: state, live files and unexpired tombstones. */
export function checkpointActions(snapshot: Snapshot, now = Date.now()): Action[] {
  const cutoff = now - retentionMillis(snapshot.configuration);
  const actions: Action[] = [{ protocol: snapshot.protocol }, { metaData: snapshot.metadata }];
  for (const txn of snapshot.txns.values()) actions.push({ txn });
  for (const d of snapshot.domains.values()) actions.push({ domainMetadata: d });
  for (const add of snapshot.files) actions.push({ add: { ...add, dataChange: false } });
  for (const r of snapshot.tombstones) {
    if ((r.deletionTimestamp ?? 0) > cutoff) actions.push({ remove: { ...r, dataChange: false } });
  }
  return actions;
}

/**
 * Writes a checkpoint of the snapshot's version and points `_last_checkpoint` at it. Tables with
 * the v2Checkpoint feature get a UUID-named JSON v2 checkpoint; others a classic Parquet one.
 * A checkpoint that already exists is left alone.
 */
export async function writeCheckpoint(ctx: TableContext, snapshot: Snapshot): Promise<{ version: number; key: string }> {
  const actions = checkpointActions(snapshot);
  let key: string;
  let sizeInBytes: number;
  if (hasFeature(snapshot.protocol, 'v2Checkpoint')) {
    key = `${LOG_DIR}/${padVersion(snapshot.version)}.checkpoint.${randomUUID()}.json`;
    const bytes = serializeActions([{ checkpointMetadata: { version: snapshot.version } }, ...actions]);
    await storageCall(`write ${key}`, () => ctx.store.put(key, bytes));
    sizeInBytes = bytes.byteLength;
  } else {
    key = classicCheckpointKey(snapshot.version);
    const local = join(ctx.engine.tempDir, `checkpoint-${randomUUID()}`);
    try {
      await writeFile(`${local}.json`, serializeActions(actions));
      const columns = Object.entries(CHECKPOINT_COLUMNS)
        .map(([k, v]) => `${str(k)}: ${str(v)}`)
        .join(', ');
      await ctx.engine.exec(
        `COPY (SELECT * FROM read_json(${str(`${local}.json`)}, format = 'newline_delimited', columns = {${columns}})) TO ${str(`${local}.parquet`)} (FORMAT parquet, COMPRESSION snappy)`,
      );
      sizeInBytes = (await stat(`${local}.parquet`)).size;
      // Readers accept any complete checkpoint; writing the same version twice is harmless.
      await storageCall(`write ${key}`, () => ctx.store.put(key, { file: `${local}.parquet` }));
    } finally {
      await rm(`${local}.json`, { force: true });
      await rm(`${local}.parquet`, { force: true });
    }
  }
  const hint = { version: snapshot.version, size: actions.length, sizeInBytes, numOfAddFiles: snapshot.files.length };
  await storageCall(`write ${lastCheckpointKey}`, () => ctx.store.put(lastCheckpointKey, new TextEncoder().encode(JSON.stringify(hint))));
  return { version: snapshot.version, key };
}

/** `delta.checkpointInterval`, default 10. */
export function checkpointInterval(configuration: Readonly<Record<string, string>>): number {
  const n = Number(configuration['delta.checkpointInterval'] ?? '10');
  return Number.isInteger(n) && n > 0 ? n : 10;
}
