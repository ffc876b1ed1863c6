import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ListOptions, ObjectMeta, ObjectStore, PutBody } from '../object-store.ts';
import { joinKey } from '../object-store.ts';
import type { LocalStoreConfig } from './config.ts';
import { fromFsError } from './errors.ts';

const TEMP_PREFIX = '.strata-tmp-';

/**
 * Object store over a local directory. `putIfAbsent` writes a temporary file and hard-links it to the
 * final name: `link` fails if the name exists, so two writers can never both win (unlike `rename`,
 * which silently replaces).
 */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  private readonly dir: string;

  constructor(config: LocalStoreConfig) {
    this.dir = resolve(config.directory);
    this.root = pathToFileURL(this.dir).href;
  }

  localPath(key: string): string {
    return this.path(key);
  }

  child(prefix: string): LocalObjectStore {
    return new LocalObjectStore({ directory: this.path(prefix) });
  }

  async get(key: string): Promise<Uint8Array> {
    const p = this.path(key);
    try {
      return new Uint8Array(await readFile(p));
    } catch (e) {
      throw fromFsError(e, p, 'read');
    }
  }

  async head(key: string): Promise<ObjectMeta> {
    const p = this.path(key);
    try {
      const s = await stat(p);
      if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return { key: joinKey(key), size: s.size, lastModified: Math.floor(s.mtimeMs) };
    } catch (e) {
      throw fromFsError(e, p, 'stat');
    }
  }

  async put(key: string, body: PutBody): Promise<void> {
    const p = this.path(key);
    const tmp = await this.writeTemp(p, body);
    try {
      await rename(tmp, p);
    } catch (e) {
      await rm(tmp, { force: true });
      throw fromFsError(e, p, 'write');
    }
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    const p = this.path(key);
    const tmp = await this.writeTemp(p, body);
    try {
      await link(tmp, p);
    } catch (e) {
      throw fromFsError(e, p, 'create');
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    // Walk only the deepest directory the prefix names, then filter by the remaining text.
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const out: ObjectMeta[] = [];
    await this.walk(baseKey, prefix, options.startAfter, out);
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  async delete(key: string): Promise<void> {
    const p = this.path(key);
    try {
      await rm(p, { force: true });
    } catch (e) {
      throw fromFsError(e, p, 'delete');
    }
  }

  private async walk(dirKey: string, prefix: string, startAfter: string | undefined, out: ObjectMeta[]): Promise<void> {
    const dirPath = this.path(dirKey);
    let entries;
    try {
      entries = await readdir(dirPath, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw fromFsError(e, dirPath, 'list');
    }
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name.startsWith(TEMP_PREFIX)) return;
        const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          // Descend only into directories that can hold keys matching the prefix.
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(key, prefix, startAfter, out);
          return;
        }
        if (!entry.isFile() || !key.startsWith(prefix)) return;
        if (startAfter !== undefined && key <= startAfter) return;
        try {
          const s = await stat(join(dirPath, entry.name));
          out.push({ key, size: s.size, lastModified: Math.floor(s.mtimeMs) });
        } catch (e) {
          // Deleted between readdir and stat: it is simply not there any more.
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fromFsError(e, key, 'stat');
        }
      }),
    );
  }

  private async writeTemp(finalPath: string, body: PutBody): Promise<string> {
    const tmp = join(dirname(finalPath), `${TEMP_PREFIX}${randomUUID()}`);
    try {
      await mkdir(dirname(finalPath), { recursive: true });
      if (body instanceof Uint8Array) await writeFile(tmp, body);
      else await copyFile(body.file, tmp);
      return tmp;
    } catch (e) {
      await rm(tmp, { force: true });
      throw fromFsError(e, finalPath, 'write');
    }
  }

  private path(key: string): string {
    const k = joinKey(key);
    const p = k ? join(this.dir, ...k.split('/')) : this.dir;
    if (p !== this.dir && !p.startsWith(this.dir + sep)) {
      throw fromFsError(Object.assign(new Error('key escapes the store root'), { code: 'EPERM' }), key, 'access');
    }
    return p;
  }
}
