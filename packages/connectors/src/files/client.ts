import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ObjectMeta, ObjectStore } from '@strata/storage';
import { Utf8Check } from './encoding.ts';
import { causeMessage, filesError } from './errors.ts';
import type { GlobSet } from './glob.ts';

const CHUNK = 1 << 20;
/** Characters DuckDB expands in a file path as a glob pattern. */
const GLOB_CHARACTERS = /[*?[\]{}]/;

/** A file found at the location. */
export interface FileEntry {
  /** Path relative to the location, '/'-separated: what `_file_path` records. */
  readonly path: string;
  readonly size: number;
  /** Last modification time (ISO 8601), null when the store does not tell. */
  readonly modified: string | null;
}

/** A file the engine can read from local disk, with its checksum. */
export interface LocalFile {
  readonly entry: FileEntry;
  /** The file where it lies (local store) or its downloaded copy (remote store). */
  readonly localPath: string;
  /** SHA-256 of the bytes as stored (compressed files: of the compressed bytes), lower-case hex. */
  readonly checksum: string;
  /** Gzip-compressed (`.gz`): DuckDB decompresses it while reading. */
  readonly gzip: boolean;
  /** Whether the content (decompressed) is valid UTF-8; undefined when it was not checked. */
  readonly utf8?: boolean;
  /** Removes the downloaded copy; nothing for a file read in place. */
  release(): Promise<void>;
}

/**
 * Lists and fetches the files of one location. Local files are read in place; remote ones are
 * downloaded to a private folder of the engine's temporary directory, removed by `release`.
 */
export class FileClient {
  constructor(
    private readonly store: ObjectStore,
    /** The location as configured, for messages. */
    readonly location: string,
  ) {}

  /** `location/path`, the name a file is known by in messages. */
  display(path: string): string {
    return `${this.location.replace(/\/+$/, '')}/${path}`;
  }

  /** The files matching `globs`, sorted by path. Fails when a local location does not exist. */
  async list(globs: GlobSet): Promise<FileEntry[]> {
    await this.checkLocation();
    const found = new Map<string, ObjectMeta>();
    for (const prefix of globs.prefixes) {
      let metas: ObjectMeta[];
      try {
        metas = await this.store.list(prefix);
      } catch (e) {
        throw filesError(`cannot list the files of ${this.location}: ${causeMessage(e)}`, e);
      }
      for (const m of metas) if (globs.matches(m.key)) found.set(m.key, m);
    }
    return [...found.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((m) => ({
        path: m.key,
        size: m.size,
        modified: Number.isFinite(m.lastModified) ? new Date(m.lastModified).toISOString() : null,
      }));
  }

  /**
   * Makes a file readable from local disk and computes its checksum; with `checkUtf8`, also tells
   * whether its (decompressed) content is valid UTF-8.
   */
  async fetch(entry: FileEntry, tempDir: string, options: { checkUtf8: boolean }): Promise<LocalFile> {
    const gzip = /\.gz$/i.test(entry.path);
    const inPlace = this.store.localPath(entry.path);
    return inPlace === undefined
      ? this.download(entry, gzip, tempDir, options.checkUtf8)
      : this.readInPlace(entry, inPlace, gzip, tempDir, options.checkUtf8);
  }

  private async readInPlace(entry: FileEntry, path: string, gzip: boolean, tempDir: string, checkUtf8: boolean): Promise<LocalFile> {
    const check = checkUtf8 && !gzip ? new Utf8Check() : undefined;
    const checksum = await this.guard(entry, () => digestFile(path, check));
    const utf8 = !checkUtf8 ? undefined : check ? check.valid : await this.guard(entry, () => isUtf8File(path, true));
    const found = { entry, checksum, gzip, ...(utf8 === undefined ? {} : { utf8 }) };
    if (!GLOB_CHARACTERS.test(path)) return { ...found, localPath: path, release: async () => undefined };
    // DuckDB would take the path for a pattern (and might read other files): read through a link.
    return { ...found, ...(await this.privateCopy(entry, tempDir, 'link', (link) => symlink(path, link))) };
  }

  private async download(entry: FileEntry, gzip: boolean, tempDir: string, checkUtf8: boolean): Promise<LocalFile> {
    const bytes = await this.guard(entry, () => this.store.get(entry.path));
    const copy = await this.privateCopy(entry, tempDir, 'copy', (file) => writeFile(file, bytes));
    try {
      const checksum = createHash('sha256').update(bytes).digest('hex');
      let utf8: boolean | undefined;
      if (checkUtf8 && gzip) utf8 = await this.guard(entry, () => isUtf8File(copy.localPath, true));
      else if (checkUtf8) {
        const check = new Utf8Check();
        check.push(bytes);
        utf8 = check.valid;
      }
      return { entry, checksum, gzip, ...(utf8 === undefined ? {} : { utf8 }), ...copy };
    } catch (e) {
      await copy.release();
      throw e;
    }
  }

  /** A file made by `make` in a folder of its own under `tempDir`, removed with the folder by `release`. */
  private async privateCopy(
    entry: FileEntry,
    tempDir: string,
    what: string,
    make: (file: string) => Promise<void>,
  ): Promise<{ localPath: string; release: () => Promise<void> }> {
    const dir = join(tempDir, `files-${randomUUID()}`);
    const localPath = join(dir, engineName(entry.path));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      await mkdir(dir, { recursive: true });
      await make(localPath);
    } catch (e) {
      await release();
      throw filesError(`cannot ${what} ${this.display(entry.path)} into ${dir}: ${causeMessage(e)}`, e);
    }
    return { localPath, release };
  }

  /** The first `maxBytes` of a file's content (decompressed), as UTF-8 text. */
  async readStart(file: LocalFile, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
    return this.guard(file.entry, async () => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const stream = content(file.localPath, file.gzip);
      try {
        for await (const chunk of stream) {
          chunks.push(chunk as Buffer);
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            truncated = true;
            break;
          }
        }
      } finally {
        stream.destroy();
      }
      const all = Buffer.concat(chunks);
      return { text: all.subarray(0, Math.min(all.length, maxBytes)).toString('utf8'), truncated };
    });
  }

  /**
   * The numbers (1-based) of the lines whose text, trimmed, is one of `texts`: for the few records
   * that must be pointed at after the engine read the file.
   */
  async lineNumbers(file: LocalFile, texts: ReadonlySet<string>): Promise<Map<string, number[]>> {
    return this.guard(file.entry, async () => {
      const found = new Map<string, number[]>();
      const stream = content(file.localPath, file.gzip);
      let n = 0;
      try {
        for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
          n++;
          const text = line.trim();
          if (texts.has(text)) found.set(text, [...(found.get(text) ?? []), n]);
        }
      } finally {
        stream.destroy();
      }
      return found;
    });
  }

  private async checkLocation(): Promise<void> {
    const dir = this.store.localPath('');
    if (dir === undefined) return;
    let isDir: boolean;
    try {
      isDir = (await stat(dir)).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw filesError(`location ${this.location} does not exist (no folder ${dir})`, e);
      throw filesError(`cannot read location ${this.location} (${dir}): ${causeMessage(e)}`, e);
    }
    if (!isDir) throw filesError(`location ${this.location} is not a folder (${dir})`);
  }

  private async guard<T>(entry: FileEntry, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw filesError(`cannot read ${this.display(entry.path)}: ${causeMessage(e)}`, e);
    }
  }
}

/**
 * The name a local copy or link of a file gets: its own name, so that DuckDB recognises its
 * compression by the extension, without characters DuckDB would expand as a pattern.
 */
function engineName(path: string): string {
  return basename(path).replace(new RegExp(GLOB_CHARACTERS.source, 'g'), '_');
}

async function digestFile(path: string, check: Utf8Check | undefined): Promise<string> {
  const hash = createHash('sha256');
  // One buffer read into again and again: a stream would allocate (and collect) a buffer per chunk.
  const buffer = Buffer.allocUnsafe(CHUNK);
  const file = await open(path);
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      check?.push(chunk);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

async function isUtf8File(path: string, gzip: boolean): Promise<boolean> {
  const check = new Utf8Check();
  const stream = content(path, gzip);
  try {
    for await (const chunk of stream) {
      check.push(chunk as Buffer);
      if (check.failed) break;
    }
  } finally {
    stream.destroy();
  }
  return check.valid;
}

/** The file's content, decompressed when it is gzip; read errors surface from the returned stream. */
function content(path: string, gzip: boolean): Readable {
  const source = createReadStream(path, { highWaterMark: CHUNK });
  if (!gzip) return source;
  const gunzip = createGunzip();
  // pipeline forwards the source's errors to gunzip and closes both when either stops early.
  pipeline(source, gunzip, () => undefined);
  return gunzip;
}
