import { isAbsolute, resolve } from 'node:path';
import { openStore } from '@strata/storage';
import type { ObjectStore } from '@strata/storage';
import { ConnectorError } from '../errors.ts';
import type { JsonValue, Source, SourceBatch, SourceContext, SourceStream } from '../source.ts';
import { FileClient } from './client.ts';
import type { FileEntry, LocalFile } from './client.ts';
import { parseFileSourceConfig } from './config.ts';
import type { FileSourceConfig, FileSourceConfigInput } from './config.ts';
import { checkColumnTypes, stageCsv } from './csv.ts';
import { formatOf, jsonLayout } from './detect.ts';
import type { FileFormat } from './detect.ts';
import { causeMessage, invalidConfig } from './errors.ts';
import { compileGlobs } from './glob.ts';
import { stageJson } from './json.ts';
import { LoadedFiles } from './loaded.ts';
import { stageNdjson } from './ndjson.ts';
import { stageParquet } from './parquet.ts';
import type { StagedFile } from './staged.ts';

export interface FileSourceOptions {
  /** The store to read instead of opening `location`; it is rooted at the location. */
  readonly store?: ObjectStore;
  /** The folder a relative local `location` is resolved against (default: the working directory). */
  readonly baseDir?: string;
}

/** Bytes read from the start of a `.json` file to tell a document from newline-delimited JSON. */
const LAYOUT_SAMPLE = 64 * 1024;

/**
 * A source reading the files of a local folder or S3 prefix into one stream. Each file is one
 * batch, with `_file_path` (relative to the location), `_file_checksum` (SHA-256) and
 * `_file_modified`; a file whose path and checksum the bronze table holds already is skipped, so a
 * file is loaded once and again only when its content changed. Files are read in path order.
 * Fails with CONNECTOR_INVALID_CONFIG when the configuration is invalid.
 */
export function fileSource(config: FileSourceConfigInput, options: FileSourceOptions = {}): Source {
  const cfg = parseFileSourceConfig(config);
  const globs = compileGlobs(cfg.glob);
  let client: FileClient | undefined;
  // The store is opened on first read, so that defining the source needs no credentials.
  const getClient = () => (client ??= new FileClient(options.store ?? openLocation(cfg.location, options.baseDir), cfg.location));

  return {
    name: `files:${cfg.location}`,
    streams(): readonly SourceStream[] {
      return [{ name: cfg.stream, description: `files matching ${cfg.glob.join(', ')} in ${cfg.location}` }];
    },
    read(stream: string, state: JsonValue | undefined, ctx: SourceContext): AsyncIterable<SourceBatch> {
      if (stream !== cfg.stream) throw invalidConfig(`unknown stream ${stream}: this file source has the one stream ${cfg.stream}`);
      return readFiles(getClient(), cfg, globs, state, ctx);
    },
  };
}

async function* readFiles(
  client: FileClient,
  cfg: FileSourceConfig,
  globs: ReturnType<typeof compileGlobs>,
  state: JsonValue | undefined,
  ctx: SourceContext,
): AsyncGenerator<SourceBatch> {
  const { engine } = ctx;
  const files = await client.list(globs);
  if (cfg.format === 'auto' || cfg.format === 'csv') await checkColumnTypes(engine, cfg.csv.columns);
  const loaded = await LoadedFiles.read(engine, ctx.existing, state, files.map((f) => f.path));
  ctx.log('info', `${cfg.stream}: ${files.length} file(s) match ${cfg.glob.join(', ')} in ${cfg.location}`);

  const prepare = (entry: FileEntry | undefined): Promise<Prepared | undefined> | undefined => {
    if (entry === undefined) return undefined;
    const format = formatOf(entry.path, cfg.format);
    if (format === undefined) {
      ctx.log('warn', `${cfg.stream}: skipped ${entry.path}: its extension names no format (set format: csv, json, ndjson or parquet)`);
      return Promise.resolve(undefined);
    }
    const checkUtf8 = format === 'csv' && cfg.csv.encoding === 'auto';
    const fetched = client.fetch(entry, engine.tempDir, { checkUtf8 }).then((file) => ({ file, format }));
    // Fetched ahead while the previous file is loaded; its failure is reported when its turn comes.
    fetched.catch(() => undefined);
    return fetched;
  };

  let next = prepare(files[0]);
  try {
    for (let i = 0; i < files.length; i++) {
      if (ctx.signal.aborted) {
        throw new ConnectorError('CONNECTOR_CANCELED', `${cfg.stream}: reading ${cfg.location} canceled before ${files[i]?.path}`);
      }
      const current = next;
      next = prepare(files[i + 1]);
      const prepared = await current;
      if (prepared === undefined) continue;
      const { file } = prepared;
      try {
        const path = file.entry.path;
        if (loaded.has(path, file.checksum)) {
          ctx.log('debug', `${cfg.stream}: ${path} was loaded already (checksum ${file.checksum.slice(0, 12)}…)`);
          continue;
        }
        const format = await resolveFormat(client, file, prepared.format, cfg);
        ctx.log('info', `${cfg.stream}: reading ${path} (${format})`);
        const staged = await stage(client, file, format, cfg, ctx);
        try {
          const nextState = loaded.record(path, file.checksum, staged.rows);
          yield {
            data: staged.data,
            ...(staged.rejected.length > 0 ? { rejected: staged.rejected } : {}),
            ...(nextState === undefined ? {} : { state: nextState }),
            columns: { _file_path: path, _file_checksum: file.checksum, _file_modified: file.entry.modified },
            label: path,
          };
        } finally {
          await staged.release();
        }
      } finally {
        await file.release();
      }
    }
  } finally {
    const ahead = await next?.catch(() => undefined);
    await ahead?.file.release();
  }
}

interface Prepared {
  readonly file: LocalFile;
  readonly format: FileFormat;
}

/** With `format: auto`, a `.json` file may still be newline-delimited: its first line tells. */
async function resolveFormat(client: FileClient, file: LocalFile, format: FileFormat, cfg: FileSourceConfig): Promise<FileFormat> {
  if (format !== 'json' || cfg.format !== 'auto' || cfg.json.records_path !== undefined) return format;
  return jsonLayout((await client.readStart(file, LAYOUT_SAMPLE)).text);
}

function stage(client: FileClient, file: LocalFile, format: FileFormat, cfg: FileSourceConfig, ctx: SourceContext): Promise<StagedFile> {
  const display = client.display(file.entry.path);
  switch (format) {
    case 'csv':
      return stageCsv(ctx.engine, file, display, cfg.csv, ctx.log);
    case 'json':
      return stageJson(ctx.engine, client, file, cfg.json.records_path);
    case 'ndjson':
      return stageNdjson(ctx.engine, client, file);
    case 'parquet':
      return stageParquet(ctx.engine, file, display);
  }
}

function openLocation(location: string, baseDir: string | undefined): ObjectStore {
  const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location);
  const target = hasScheme || isAbsolute(location) ? location : resolve(baseDir ?? process.cwd(), location);
  try {
    return openStore(target);
  } catch (e) {
    throw invalidConfig(`location: cannot open ${location}: ${causeMessage(e)}`, e);
  }
}
