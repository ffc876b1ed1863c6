import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectStore } from '@strata/storage';
import type { Add, PartitionValues } from '../actions/index.ts';
import type { Engine, WrittenParquetFile } from '../engine/index.ts';
import { ident } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import { storageCall } from '../io/storage-call.ts';
import type { ColumnMappingMode, DataType, StructField, StructType } from '../schema/index.ts';
import { physicalName } from '../schema/index.ts';
import { buildStats, statsColumnsFromConfig } from '../stats/file-stats.ts';

/** What the file writer needs to know about the table. */
export interface TableLayout {
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly mapping: ColumnMappingMode;
  readonly configuration: Readonly<Record<string, string>>;
}

export interface WriteFilesOptions {
  readonly targetFileSize?: number;
  /** One file per engine thread (fast) or as few files as the target size allows (compaction). */
  readonly perThread?: boolean;
  readonly dataChange?: boolean;
}

/**
 * Writes the rows of `sql` (logical column names, already of the table's types) as Parquet data
 * files of the table and returns their `add` actions. Files go straight into the table directory on
 * local disk, or are staged locally and uploaded to a remote store. Nothing is visible to readers
 * until a commit references the files.
 */
export async function writeDataFiles(
  store: ObjectStore,
  engine: Engine,
  layout: TableLayout,
  sql: string,
  options: WriteFilesOptions = {},
): Promise<Add[]> {
  const projection = layout.schema.fields
    .map((f) => `${ident(f.name)} AS ${ident(physicalName(f, layout.mapping))}`)
    .join(', ');
  const partitionBy = layout.partitionColumns.map((c) => {
    const f = layout.schema.fields.find((x) => x.name === c);
    if (!f) throw new DeltaError('DELTA_SCHEMA_MISMATCH', `partition column "${c}" is not in the schema`);
    if (typeof f.type !== 'string' || f.type === 'binary') {
      throw new DeltaError('DELTA_INVALID_ARGUMENT', `column "${c}" of type ${JSON.stringify(f.type)} cannot be a partition column`);
    }
    return physicalName(f, layout.mapping);
  });
  const local = store.localPath('');
  const directory = local ?? join(engine.tempDir, `write-${randomUUID()}`);
  // DuckDB creates the last folder only; a new table may be several levels below an existing one.
  await mkdir(directory, { recursive: true });
  const written = await engine.writeParquet(`SELECT ${projection} FROM (${sql})`, directory, {
    partitionBy,
    targetFileSize: options.targetFileSize,
    perThread: options.perThread,
  });
  const physicalSchema = toPhysical(layout.schema, layout.mapping, new Set(layout.partitionColumns));
  const statsColumns = statsColumnsFromConfig(layout.configuration);
  const now = Date.now();
  const adds: Add[] = [];
  try {
    for (const file of written) {
      const segments = relative(directory, file.path).split(sep);
      const key = segments.join('/');
      if (file.rowCount === 0) {
        await rm(file.path, { force: true });
        continue;
      }
      if (!local) await storageCall(`upload ${key}`, () => store.put(key, { file: file.path }));
      adds.push({
        path: segments.map(encodePathSegment).join('/'),
        partitionValues: partitionValues(file, layout),
        size: file.sizeInBytes,
        modificationTime: now,
        dataChange: options.dataChange ?? true,
        stats: buildStats(file, physicalSchema, statsColumns),
      });
    }
  } finally {
    if (!local) await rm(directory, { recursive: true, force: true });
  }
  return adds;
}

/** URI-encodes one path segment; '=' stays readable as in Hive-style partition directories. */
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replaceAll('%3D', '=');
}

function toPhysical(schema: StructType, mapping: ColumnMappingMode, skip: ReadonlySet<string>): StructType {
  const rename = (f: StructField): StructField => ({ ...f, name: physicalName(f, mapping), type: renameType(f.type) });
  const renameType = (t: DataType): DataType => {
    if (typeof t === 'string') return t;
    if (t.type === 'struct') return { type: 'struct', fields: t.fields.map(rename) };
    if (t.type === 'array') return { ...t, elementType: renameType(t.elementType) };
    return { ...t, keyType: renameType(t.keyType), valueType: renameType(t.valueType) };
  };
  return { type: 'struct', fields: schema.fields.filter((f) => !skip.has(f.name)).map(rename) };
}

/** Partition values in Delta's string encoding, keyed by physical column name. */
function partitionValues(file: WrittenParquetFile, layout: TableLayout): PartitionValues {
  const out: Record<string, string | null> = {};
  for (const c of layout.partitionColumns) {
    const f = layout.schema.fields.find((x) => x.name === c) as StructField;
    const phys = physicalName(f, layout.mapping);
    const raw = file.partitionValues[phys];
    out[phys] = raw === undefined || raw === null ? null : encodePartitionValue(raw, f.type);
  }
  return out;
}

function encodePartitionValue(raw: string, type: DataType): string {
  if (type === 'timestamp' || type === 'timestamp_ntz') {
    // DuckDB renders '2021-01-01 10:00:00.5+00'; Delta wants '2021-01-01 10:00:00.500000' (UTC).
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(raw);
    if (m) return m[3] ? `${m[1]} ${m[2]}.${m[3].padEnd(6, '0')}` : `${m[1]} ${m[2]}`;
  }
  return raw;
}
