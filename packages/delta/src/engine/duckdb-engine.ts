import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { DeltaError } from '../errors.ts';
import type { ColumnInfo, Engine, ParquetColumnStats, WriteParquetOptions, WrittenParquetFile } from './engine.ts';
import { ident, str } from './sql.ts';

export interface DuckDbEngineOptions {
  /** DuckDB worker threads; defaults to DuckDB's choice (the number of cores). */
  readonly threads?: number;
  /** e.g. '4GB'; defaults to DuckDB's (80 % of RAM). */
  readonly memoryLimit?: string;
}

/** The DuckDB implementation of the engine seam. All timestamps are handled in UTC. */
export class DuckDbEngine implements Engine {
  readonly tempDir: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** The engine this one was forked from; forks share its instance and temporary folder. */
    private readonly parent?: DuckDbEngine,
  ) {
    this.tempDir = parent?.tempDir ?? mkdtempSync(join(tmpdir(), 'strata-engine-'));
  }

  static async create(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    return new DuckDbEngine(instance, await DuckDbEngine.connect(instance));
  }

  private static async connect(instance: DuckDBInstance): Promise<DuckDBConnection> {
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'; SET parquet_metadata_cache = true; SET preserve_insertion_order = false`);
    return connection;
  }

  async fork(): Promise<DuckDbEngine> {
    return new DuckDbEngine(this.instance, await DuckDbEngine.connect(this.instance), this.parent ?? this);
  }

  exec(sql: string): Promise<void> {
    return this.serialize(sql, async () => {
      await this.connection.run(sql);
    });
  }

  query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    return this.serialize(sql, async () => {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => plain(row) as T);
    });
  }

  describe(sql: string): Promise<ColumnInfo> {
    return this.serialize(sql, async () => {
      const prepared = await this.connection.prepare(sql);
      const names: string[] = [];
      const types: DuckDBType[] = [];
      for (let i = 0; i < prepared.columnCount; i++) {
        names.push(prepared.columnName(i));
        types.push(prepared.columnType(i));
      }
      prepared.destroySync();
      return { names, types };
    });
  }

  async writeParquet(sql: string, directory: string, options: WriteParquetOptions = {}): Promise<WrittenParquetFile[]> {
    const opts = [
      'FORMAT parquet',
      'COMPRESSION snappy',
      'RETURN_STATS',
      `FILENAME_PATTERN ${str(options.filePattern ?? 'part-{uuid}')}`,
    ];
    if (options.partitionBy?.length) {
      opts.push(`PARTITION_BY (${options.partitionBy.map(ident).join(', ')})`, 'OVERWRITE_OR_IGNORE');
    } else {
      opts.push(...(options.perThread === false ? [] : ['PER_THREAD_OUTPUT']), 'OVERWRITE_OR_IGNORE');
    }
    // DuckDB cannot roll files over by size within partitioned writes; there, one file per partition.
    if (options.targetFileSize && !options.partitionBy?.length) opts.push(`FILE_SIZE_BYTES ${Math.floor(options.targetFileSize)}`);
    const copy = `COPY (${sql}) TO ${str(directory)} (${opts.join(', ')})`;
    return this.serialize(copy, async () => {
      const reader = await this.connection.runAndReadAll(copy);
      return reader.getRowObjectsJson().map((row) => toWrittenFile(row as Record<string, unknown>));
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    if (this.parent) return;
    this.instance.closeSync();
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  private serialize<T>(sql: string, fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn).catch((e: unknown) => {
      if (e instanceof DeltaError) throw e;
      const snippet = sql.length > 300 ? `${sql.slice(0, 300)}…` : sql;
      throw new DeltaError('DELTA_ENGINE', `${(e as Error).message} (in: ${snippet})`, { cause: e });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

type JsonMap = readonly { key: unknown; value: unknown }[] | null;

function toWrittenFile(row: Record<string, unknown>): WrittenParquetFile {
  const partitionValues: Record<string, string | null> = {};
  for (const { key, value } of (row.partition_keys as JsonMap) ?? []) {
    partitionValues[String(key)] = value === null ? null : String(value);
  }
  const columnStats = new Map<string, ParquetColumnStats>();
  for (const { key, value } of (row.column_statistics as JsonMap) ?? []) {
    const entries = new Map(((value as JsonMap) ?? []).map((e) => [String(e.key), e.value]));
    const nullCount = entries.get('null_count');
    columnStats.set(unquotePath(String(key)), {
      min: entries.get('min') == null ? undefined : String(entries.get('min')),
      max: entries.get('max') == null ? undefined : String(entries.get('max')),
      nullCount: nullCount == null ? undefined : Number(nullCount),
    });
  }
  return {
    path: String(row.filename),
    rowCount: Number(row.count),
    sizeInBytes: Number(row.file_size_bytes),
    partitionValues,
    columnStats,
  };
}

/** DuckDB's quoted column path `"a"."b c"` → `a\u0000b c` (segments unescaped, joined with U+0000). */
function unquotePath(key: string): string {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"/g;
  for (let m = re.exec(key); m; m = re.exec(key)) parts.push((m[1] ?? '').replaceAll('""', '"'));
  return parts.length > 0 ? parts.join('\u0000') : key;
}
