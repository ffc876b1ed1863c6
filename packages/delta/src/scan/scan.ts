import type { DuckDBType } from '@duckdb/node-api';
import type { ObjectStore } from '@strata/storage';
import type { Add } from '../actions/index.ts';
import { readDeletionVector } from '../deletion-vectors/index.ts';
import type { Engine } from '../engine/index.ts';
import { ident, str, strList } from '../engine/index.ts';
import { DeltaError } from '../errors.ts';
import type { ParsedPredicate } from '../expressions/predicate.ts';
import { mayMatch } from '../expressions/skipping.ts';
import { localFiles } from '../io/local-files.ts';
import { decodePath } from '../log-replay/replay.ts';
import type { DataType, StructField } from '../schema/index.ts';
import { castExpr, findField, physicalName, toDuckDbType } from '../schema/index.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';

export interface ScanOptions {
  /** Logical column names to return (default: all, in schema order). */
  readonly columns?: readonly string[];
  /** An SQL predicate over logical column names; files that cannot match are skipped. */
  readonly predicate?: ParsedPredicate;
  /** Also return each row's local data-file path in a column of this name (for rewrites). */
  readonly fileColumn?: string;
}

/** What a scan needs to know about a table: its schema, partitioning and column mapping. */
export type ScanLayout = Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMapping'>;

/** The files of a snapshot that a predicate may touch. */
export function selectFiles(snapshot: Snapshot, predicate?: ParsedPredicate): Add[] {
  if (!predicate) return [...snapshot.files];
  const ctx = { fields: snapshot.schema.fields, partitionColumns: snapshot.partitionColumns, mapping: snapshot.columnMapping };
  return snapshot.files.filter((f) => mayMatch(predicate.tree, f, ctx));
}

const FILE_COL = '__strata_file';
const ROW_COL = '__strata_row';

/**
 * Builds one self-contained DuckDB query that returns the rows of `files` as the snapshot's logical
 * columns: partition values come from the log (not from paths), deletion vectors remove rows by
 * position, column mapping resolves physical names, and missing columns (schema evolution) are NULL.
 * Remote files are fetched to the engine's local cache first.
 */
export async function buildScanSql(
  store: ObjectStore,
  engine: Engine,
  snapshot: ScanLayout,
  files: readonly Add[],
  options: ScanOptions = {},
): Promise<string> {
  const fields = pickFields(snapshot, options.columns);
  const partition = new Set(snapshot.partitionColumns);
  if (files.length === 0) {
    const cols = fields.map((f) => `CAST(NULL AS ${toDuckDbType(f.type)}) AS ${ident(f.name)}`);
    return `SELECT ${cols.join(', ')} WHERE false`;
  }
  const paths = await dataFilePaths(store, engine, files);
  const hasDv = files.some((f) => f.deletionVector);
  const source = `read_parquet(${strList(paths)}, filename = ${str(FILE_COL)}, union_by_name = true${hasDv ? ', file_row_number = true' : ''})`;
  const described = await engine.describe(`SELECT * FROM ${source}`);
  const fileTypes = new Map(described.names.map((n, i) => [n, described.types[i]]));

  const projections = fields.map((f) => {
    const phys = physicalName(f, snapshot.columnMapping);
    const type = toDuckDbType(f.type);
    if (partition.has(f.name)) {
      const raw = `pv.${ident(phys)}`;
      const value = f.type === 'string' ? raw : `NULLIF(${raw}, '')`;
      return `CAST(${f.type === 'binary' ? `encode(${value})` : value} AS ${type}) AS ${ident(f.name)}`;
    }
    if (!fileTypes.has(phys)) return `CAST(NULL AS ${type}) AS ${ident(f.name)}`;
    return `${readExpr(`d.${ident(phys)}`, fileTypes.get(phys), f.type, snapshot)} AS ${ident(f.name)}`;
  });

  if (options.fileColumn) projections.push(`d.${ident(FILE_COL)} AS ${ident(options.fileColumn)}`);
  let from = `${source} AS d`;
  const partitionFields = snapshot.schema.fields.filter((f) => partition.has(f.name));
  if (partitionFields.length > 0 && fields.some((f) => partition.has(f.name))) {
    const physNames = partitionFields.map((f) => physicalName(f, snapshot.columnMapping));
    const rows = files.map((f, i) => {
      const values = physNames.map((p) => {
        const v = f.partitionValues[p];
        return v === null || v === undefined ? 'NULL::VARCHAR' : str(v);
      });
      return `(${str(paths[i] as string)}, ${values.join(', ')})`;
    });
    from += ` JOIN (VALUES ${rows.join(', ')}) AS pv(${[FILE_COL, ...physNames].map(ident).join(', ')}) ON d.${ident(FILE_COL)} = pv.${ident(FILE_COL)}`;
  }
  if (hasDv) {
    const dvRows: string[] = [];
    await Promise.all(
      files.map(async (f, i) => {
        if (!f.deletionVector) return;
        const rows = await readDeletionVector(store, f.deletionVector);
        if (rows.length > 0) dvRows.push(`(${str(paths[i] as string)}, [${Array.from(rows).join(',')}]::BIGINT[])`);
      }),
    );
    if (dvRows.length > 0) {
      from +=
        ` ANTI JOIN (SELECT f AS ${ident(FILE_COL)}, unnest(r) AS ${ident(ROW_COL)} FROM (VALUES ${dvRows.join(', ')}) AS t(f, r)) AS dv` +
        ` ON d.${ident(FILE_COL)} = dv.${ident(FILE_COL)} AND d.file_row_number = dv.${ident(ROW_COL)}`;
    }
  }
  const inner = `SELECT ${projections.join(', ')} FROM ${from}`;
  return options.predicate ? `SELECT * FROM (${inner}) WHERE ${options.predicate.sql}` : inner;
}

function pickFields(snapshot: ScanLayout, columns?: readonly string[]): StructField[] {
  if (!columns) return [...snapshot.schema.fields];
  return columns.map((c) => {
    const f = findField(snapshot.schema, c);
    if (!f) throw new DeltaError('DELTA_INVALID_ARGUMENT', `unknown column "${c}"; the table has ${snapshot.schema.fields.map((x) => x.name).join(', ')}`);
    return f;
  });
}

/**
 * Local paths the engine reads the files from (in order): the files themselves on local disk,
 * cached downloads otherwise. A row's file column in a scan holds these paths.
 */
export function dataFilePaths(store: ObjectStore, engine: Engine, files: readonly Add[]): Promise<string[]> {
  return localFiles(
    store,
    files.map((f) => ({ key: dataFileKey(f.path), size: f.size })),
    engine.tempDir,
  );
}

/** The store key of an `add` path: relative paths are URI-decoded; absolute URIs are refused. */
function dataFileKey(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    throw new DeltaError('DELTA_UNSUPPORTED_FEATURE', `absolute file paths in the log are not supported: ${path}`);
  }
  return decodePath(path);
}

/**
 * The expression that reads a physical column as its logical type. Under column mapping, nested
 * struct fields are renamed from physical to logical names as well.
 */
function readExpr(expr: string, fileType: DuckDBType | undefined, type: DataType, snapshot: ScanLayout): string {
  if (snapshot.columnMapping !== 'none' && typeof type === 'object') return renameNested(expr, type, snapshot);
  return castExpr(expr, fileType, type);
}

function renameNested(expr: string, type: DataType, snapshot: ScanLayout): string {
  if (typeof type === 'string') return `CAST(${expr} AS ${toDuckDbType(type)})`;
  if (type.type === 'struct') {
    const parts = type.fields.map(
      (f) => `${ident(f.name)} := ${renameNested(`${expr}.${ident(physicalName(f, snapshot.columnMapping))}`, f.type, snapshot)}`,
    );
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${parts.join(', ')}) END`;
  }
  if (type.type === 'array') return `list_transform(${expr}, x -> ${renameNested('x', type.elementType, snapshot)})`;
  return `map_from_entries(list_transform(map_entries(${expr}), e -> {'key': ${renameNested('e.key', type.keyType, snapshot)}, 'value': ${renameNested('e.value', type.valueType, snapshot)}}))`;
}
