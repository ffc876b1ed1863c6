import { isAbsolute, resolve } from 'node:path';
import { openStore } from '@strata/storage';
import type { ObjectStore } from '@strata/storage';
import { ConnectorError } from '../errors.ts';
import type { JsonValue, Source, SourceBatch, SourceContext, SourceStream } from '../source.ts';
import { FileClient } from './client.ts';
import type { FileEntry, LocalFile } from './client.ts';
import { parseFileSourceConfig } from './config.ts';
import type { FileSourceConfig, FileSourceConfigInput } from './config.ts';
import { checkColumnTypes, prepareCsv } from './csv.ts';
import type { CsvFile } from './csv.ts';
import { CsvBatch } from './csv-batch.ts';
import { formatOf, jsonLayout } from './detect.ts';
import type { FileFormat } from './detect.ts';
import { causeMessage, invalidConfig } from './errors.ts';
import { compileGlobs } from './glob.ts';
import { stageJson } from './json.ts';
import { LoadedFiles } from './loaded.ts';
import { stageNdjson } from './ndjson.ts';
import { stageParquet } from './parquet.ts';
import { Scouts } from './scouts.ts';
import type { StagedFile } from './staged.ts';

export interface FileSourceOptions {
  /** The store to read instead of opening `location`; it is rooted at the location. */
  readonly store?: ObjectStore;
  /** The folder a relative local `location` is resolved against (default: the working directory). */
  readonly baseDir?: string;
}

/** Bytes read from the start of a `.json` file to tell a document from newline-delimited JSON. */
const LAYOUT_SAMPLE = 64 * 1024;
/** Files fetched (checksummed) and prepared ahead of the one being loaded. */
const AHEAD = 8;
/**
 * Sessions preparing CSV files ahead, in parallel (a sniff runs on one thread). More would hold the
 * threads of Node's pool that file reads and the writing session need as well.
 */
const SCOUTS = 2;

/**
 * A source reading the files of a local folder or S3 prefix into one stream. Every row carries its
 * file's `_file_path` (relative to the location), `_file_checksum` (SHA-256) and `_file_modified`;
 * a file whose path and checksum the bronze table holds already is skipped, so a file is loaded once
 * and again only when its content changed. Files are read in path order: consecutive CSV files
 * together as one batch (up to `MAX_BATCH_FILES` files and `MAX_BATCH_BYTES` bytes), each other file
 * as a batch of its own.
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

  const scouts = new Scouts(engine, SCOUTS);
  let fetching: Promise<unknown> = Promise.resolve();
  const prepare = (entry: FileEntry): Promise<Ready | undefined> => {
    const format = formatOf(entry.path, cfg.format);
    if (format === undefined) {
      ctx.log('warn', `${cfg.stream}: skipped ${entry.path}: its extension names no format (set format: csv, json, ndjson or parquet)`);
      return Promise.resolve(undefined);
    }
    const checkUtf8 = format === 'csv' && cfg.csv.encoding === 'auto';
    // One file at a time, in order: checksums are computed on this thread, the first is needed first.
    const fetched = fetching.then(() => client.fetch(entry, engine.tempDir, { checkUtf8 }));
    fetching = fetched.catch(() => undefined);
    const ready = fetched.then(async (file): Promise<Ready> => {
      try {
        if (loaded.has(entry.path, file.checksum)) return { kind: 'loaded', file };
        const resolved = await resolveFormat(client, file, format, cfg);
        if (resolved !== 'csv') return { kind: 'other', file, format: resolved };
        const display = client.display(entry.path);
        return { kind: 'csv', file, csv: await scouts.run((scout) => prepareCsv(scout, file, display, cfg.csv, ctx.log)) };
      } catch (e) {
        await file.release();
        throw e;
      }
    });
    // Prepared ahead while earlier files are loaded; its failure is reported when its turn comes.
    ready.catch(() => undefined);
    return ready;
  };
  const ahead: Promise<Ready | undefined>[] = [];
  let listed = 0;
  const refill = () => {
    while (ahead.length < AHEAD && listed < files.length) ahead.push(prepare(files[listed++] as FileEntry));
  };

  // Consecutive CSV files to load are read as one batch; a file of another format ends the batch.
  let csv: CsvBatch | undefined;
  const flush = () => {
    const full = csv;
    csv = undefined;
    return emit(full, loaded);
  };

  refill();
  try {
    for (let i = 0; i < files.length; i++) {
      if (ctx.signal.aborted) {
        throw new ConnectorError('CONNECTOR_CANCELED', `${cfg.stream}: reading ${cfg.location} canceled before ${files[i]?.path}`);
      }
      const current = ahead.shift();
      refill();
      const ready = await current;
      if (ready === undefined) continue;
      const { file } = ready;
      const path = file.entry.path;
      if (ready.kind === 'loaded') {
        ctx.log('debug', `${cfg.stream}: ${path} was loaded already (checksum ${file.checksum.slice(0, 12)}…)`);
        await file.release();
        continue;
      }
      ctx.log('info', `${cfg.stream}: reading ${path} (${ready.kind === 'csv' ? 'csv' : ready.format})`);
      if (ready.kind === 'csv') {
        // The file joins a batch (which releases it) before a full batch is handed on.
        const full = csv !== undefined && !csv.fits(file.entry) ? csv : undefined;
        if (full !== undefined) csv = undefined;
        (csv ??= new CsvBatch(engine)).add(ready.csv);
        yield* emit(full, loaded);
        continue;
      }
      try {
        yield* flush();
        const staged = await stage(client, file, ready.format, cfg, ctx);
        try {
          const nextState = loaded.record(path, file.checksum, staged.rows > 0);
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
    yield* flush();
  } finally {
    await csv?.release();
    for (const pending of ahead.splice(0)) {
      const ready = await pending.catch(() => undefined);
      await ready?.file.release();
    }
    await scouts.close();
  }
}

/** The batch of CSV files, if any, with the state recording which files gave no row; then releases it. */
async function* emit(batch: CsvBatch | undefined, loaded: LoadedFiles): AsyncGenerator<SourceBatch> {
  if (batch === undefined) return;
  try {
    const { data, rejected, label } = batch.batch();
    let state: JsonValue | undefined;
    for (const f of batch.contents()) state = loaded.record(f.path, f.checksum, f.hasRows) ?? state;
    yield { data, rejected, ...(state === undefined ? {} : { state }), label };
  } finally {
    await batch.release();
  }
}

/** A file fetched ahead of its turn: loaded already, a CSV file prepared to be read, or another file. */
type Ready =
  | { readonly kind: 'loaded'; readonly file: LocalFile }
  | { readonly kind: 'csv'; readonly file: LocalFile; readonly csv: CsvFile }
  | { readonly kind: 'other'; readonly file: LocalFile; readonly format: Exclude<FileFormat, 'csv'> };

/** With `format: auto`, a `.json` file may still be newline-delimited: its first line tells. */
async function resolveFormat(client: FileClient, file: LocalFile, format: FileFormat, cfg: FileSourceConfig): Promise<FileFormat> {
  if (format !== 'json' || cfg.format !== 'auto' || cfg.json.records_path !== undefined) return format;
  return jsonLayout((await client.readStart(file, LAYOUT_SAMPLE)).text);
}

function stage(client: FileClient, file: LocalFile, format: Exclude<FileFormat, 'csv'>, cfg: FileSourceConfig, ctx: SourceContext): Promise<StagedFile> {
  switch (format) {
    case 'json':
      return stageJson(ctx.engine, client, file, cfg.json.records_path);
    case 'ndjson':
      return stageNdjson(ctx.engine, client, file);
    case 'parquet':
      return stageParquet(ctx.engine, file, client.display(file.entry.path));
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
