import { randomUUID } from 'node:crypto';
import type { Add, Metadata } from '../actions/index.ts';
import { DeltaError } from '../errors.ts';
import { parsePredicate } from '../expressions/predicate.ts';
import { protocolForNewTable } from '../protocol/features.ts';
import type { StructField, StructType } from '../schema/index.ts';
import { schemaFromDuckDb, serializeSchema } from '../schema/index.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { Transaction } from '../transaction/transaction.ts';
import { assertRules, tableRules } from './constraints.ts';
import type { TableContext } from './context.ts';
import { findAffectedFiles, rewriteWithout } from './rewrite.ts';
import { resolveInput } from './schema-resolution.ts';
import { writeDataFiles } from './write-files.ts';
import { decodePath } from '../log-replay/replay.ts';
import { buildScanSql } from '../scan/scan.ts';

export type WriteMode = 'append' | 'overwrite';

export interface WriteOptions {
  readonly mode?: WriteMode;
  /** Partition columns when the write creates the table; must match the table's when it exists. */
  readonly partitionBy?: readonly string[];
  /** Overwrite only rows matching this SQL predicate; every written row must match it. */
  readonly replaceWhere?: string;
  /** Add input columns that the table does not have (schema evolution). */
  readonly evolveSchema?: boolean;
  /**
   * With a whole-table overwrite: replace the schema (and partitioning, from `partitionBy`) with
   * the input's, as Delta's `overwriteSchema` does. Old files are removed in the same commit.
   */
  readonly overwriteSchema?: boolean;
  /** Table properties when the write creates the table. */
  readonly configuration?: Readonly<Record<string, string>>;
  /**
   * Application properties set by this commit, on a new or an existing table (merged into the
   * table's configuration; a metaData action is committed only when a value changes). Keys must not
   * start with `delta.`: table features are set when the table is created. Used to commit a
   * stream's state atomically with its data.
   */
  readonly properties?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly description?: string;
  /** Idempotent write: skipped if the table already has this or a later version for `appId`. */
  readonly txn?: { readonly appId: string; readonly version: number };
  readonly targetFileSize?: number;
  /** Aborting before the commit leaves the table unchanged. */
  readonly signal?: AbortSignal;
  /**
   * Called after the data files are written and before the commit, with SQL reading the rows
   * written (as the table's logical columns): quality gates run here. If it throws, the files are
   * deleted, nothing is committed and the error is rethrown.
   */
  readonly beforeCommit?: (written: WrittenRows) => Promise<void>;
}

/** The rows a write is about to commit. */
export interface WrittenRows {
  /** SQL selecting exactly the rows written (not the table's other rows). */
  readonly sql: string;
  readonly rows: number;
  readonly files: number;
}

export interface WriteResult {
  /** Version committed, or the current version when nothing was committed (idempotent skip). */
  readonly version: number;
  readonly committed: boolean;
  readonly filesAdded: number;
  readonly filesRemoved: number;
  readonly rowsWritten: number;
}

/**
 * Writes the rows of an SQL query to the table: creates it if needed, appends, or overwrites the
 * whole table or the rows matching `replaceWhere`. One Delta commit; nothing is visible before it.
 */
export async function write(ctx: TableContext, snapshot: Snapshot | undefined, sourceSql: string, options: WriteOptions = {}): Promise<WriteResult> {
  const where = ctx.store.root;
  const mode = options.mode ?? 'append';
  if (options.txn && snapshot && (snapshot.txnVersion(options.txn.appId) ?? -1) >= options.txn.version) {
    return { version: snapshot.version, committed: false, filesAdded: 0, filesRemoved: 0, rowsWritten: 0 };
  }
  const input = await ctx.engine.describe(sourceSql);
  const replaceSchema = options.overwriteSchema === true && mode === 'overwrite' && !options.replaceWhere && snapshot !== undefined;
  const tableSchema: StructType = snapshot && !replaceSchema ? snapshot.schema : schemaFromDuckDb(input.names, input.types);
  const resolved = resolveInput(tableSchema, input, sourceSql, options.evolveSchema === true || !snapshot, where);
  const partitionColumns = replaceSchema ? (options.partitionBy ?? []) : (snapshot?.partitionColumns ?? options.partitionBy ?? []);
  if (snapshot && !replaceSchema && options.partitionBy && options.partitionBy.join(',') !== snapshot.partitionColumns.join(',')) {
    throw new DeltaError(
      'DELTA_SCHEMA_MISMATCH',
      `${where}: the table is partitioned by [${snapshot.partitionColumns.join(', ')}], not [${options.partitionBy.join(', ')}]`,
    );
  }
  for (const c of partitionColumns) {
    if (!resolved.schema.fields.some((f) => f.name === c)) {
      throw new DeltaError('DELTA_SCHEMA_MISMATCH', `${where}: partition column "${c}" is not a column of the data`);
    }
  }
  const properties = options.properties ?? {};
  const reserved = Object.keys(properties).find((k) => k.startsWith('delta.'));
  if (reserved) throw new DeltaError('DELTA_INVALID_ARGUMENT', `${where}: property "${reserved}" is a table feature; set it when the table is created`);
  const configuration = { ...(snapshot?.configuration ?? options.configuration ?? {}), ...properties };
  const propertiesChanged = snapshot !== undefined && Object.entries(properties).some(([k, v]) => snapshot.configuration[k] !== v);
  const mapping = snapshot?.columnMapping ?? 'none';
  if (replaceSchema && mapping !== 'none') {
    throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `${where}: overwriteSchema on a column-mapped table is not supported`);
  }
  const schema = mapping === 'none' ? resolved.schema : assignColumnIds(resolved.schema, snapshot as Snapshot);

  const tx = new Transaction(ctx.store, snapshot, snapshot ? 'WRITE' : 'CREATE TABLE AS SELECT', {
    mode: mode === 'overwrite' ? 'Overwrite' : 'Append',
    partitionBy: JSON.stringify(partitionColumns),
    ...(options.replaceWhere ? { predicate: options.replaceWhere } : {}),
  });
  if (!snapshot) {
    tx.setProtocol(protocolForNewTable(schema, configuration));
    tx.setMetadata(newMetadata(schema, partitionColumns, configuration, options));
  } else if (replaceSchema) {
    const changed = serializeSchema(schema) !== snapshot.metadata.schemaString || partitionColumns.join(',') !== snapshot.partitionColumns.join(',');
    if (changed || propertiesChanged) {
      tx.setMetadata({ ...snapshot.metadata, schemaString: serializeSchema(schema), partitionColumns: [...partitionColumns], configuration });
    }
  } else if (resolved.added.length > 0 || propertiesChanged) {
    tx.setMetadata(updatedMetadata(snapshot, schema, configuration));
  }
  if (options.txn) tx.setTxn(options.txn.appId, options.txn.version);

  await assertRules(ctx.engine, tableRules(schema, configuration), resolved.sql, where);
  let removed: Add[] = [];
  let rewritten: Add[] = [];
  if (snapshot && mode === 'overwrite') {
    if (options.replaceWhere) {
      const predicate = await parsePredicate(ctx.engine, options.replaceWhere);
      const [bad] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM (${resolved.sql}) WHERE (${predicate.sql}) IS NOT TRUE`);
      if ((bad?.n ?? 0) > 0) {
        throw new DeltaError(
          'DELTA_INVALID_ARGUMENT',
          `${where}: ${bad?.n} written row(s) do not match replaceWhere (${options.replaceWhere}); nothing was written`,
        );
      }
      const affected = await findAffectedFiles(ctx, snapshot, predicate);
      tx.readPredicate(predicate, affected.candidates);
      removed = [...affected.full, ...affected.partial];
      rewritten = await rewriteWithout(ctx, snapshot, affected.partial, predicate);
    } else {
      tx.readWholeTable();
      removed = [...snapshot.files];
    }
  }
  const layout = { schema, partitionColumns, mapping, configuration };
  const adds = await writeDataFiles(ctx.store, ctx.engine, layout, resolved.sql, { targetFileSize: options.targetFileSize });
  tx.removeFiles(removed);
  tx.addFiles([...rewritten, ...adds]);
  const rowsWritten = adds.reduce((n, a) => n + ((JSON.parse(a.stats ?? '{}') as { numRecords?: number }).numRecords ?? 0), 0);
  if (options.beforeCommit) {
    try {
      const sql = await buildScanSql(ctx.store, ctx.engine, { schema, partitionColumns, columnMapping: mapping }, adds);
      await options.beforeCommit({ sql, rows: rowsWritten, files: adds.length });
    } catch (e) {
      await Promise.all(adds.map((a) => ctx.store.delete(decodePath(a.path)).catch(() => undefined)));
      throw e;
    }
  }
  const { version } = await tx.commit({
    numFiles: adds.length,
    numOutputRows: rowsWritten,
    numOutputBytes: adds.reduce((n, a) => n + a.size, 0),
    numRemovedFiles: removed.length,
  }, options.signal);
  return { version, committed: true, filesAdded: adds.length + rewritten.length, filesRemoved: removed.length, rowsWritten };
}

function newMetadata(
  schema: StructType,
  partitionColumns: readonly string[],
  configuration: Readonly<Record<string, string>>,
  options: WriteOptions,
): Metadata {
  return {
    id: randomUUID(),
    ...(options.name ? { name: options.name } : {}),
    ...(options.description ? { description: options.description } : {}),
    format: { provider: 'parquet', options: {} },
    schemaString: serializeSchema(schema),
    partitionColumns: [...partitionColumns],
    configuration: { ...configuration },
    createdTime: Date.now(),
  };
}

function updatedMetadata(snapshot: Snapshot, schema: StructType, merged: Readonly<Record<string, string>>): Metadata {
  const configuration = { ...merged };
  const maxId = maxColumnId(schema);
  if (snapshot.columnMapping !== 'none') configuration['delta.columnMapping.maxColumnId'] = String(maxId);
  return { ...snapshot.metadata, schemaString: serializeSchema(schema), configuration };
}

function maxColumnId(schema: StructType): number {
  let max = 0;
  const visit = (fields: readonly StructField[]) => {
    for (const f of fields) {
      const id = f.metadata['delta.columnMapping.id'];
      if (typeof id === 'number') max = Math.max(max, id);
      if (typeof f.type === 'object' && f.type.type === 'struct') visit(f.type.fields);
    }
  };
  visit(schema.fields);
  return max;
}

/** Under column mapping, gives columns added by evolution an id and a fresh physical name. */
function assignColumnIds(schema: StructType, snapshot: Snapshot): StructType {
  let next = Math.max(Number(snapshot.configuration['delta.columnMapping.maxColumnId'] ?? '0'), maxColumnId(schema)) + 1;
  return {
    type: 'struct',
    fields: schema.fields.map((f) =>
      'delta.columnMapping.id' in f.metadata
        ? f
        : {
            ...f,
            metadata: { ...f.metadata, 'delta.columnMapping.id': next++, 'delta.columnMapping.physicalName': `col-${randomUUID()}` },
          },
    ),
  };
}
