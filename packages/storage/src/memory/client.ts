import { readFile } from 'node:fs/promises';
import type { ListOptions, ObjectMeta, ObjectStore, PutBody } from '../object-store.ts';
import { joinKey } from '../object-store.ts';
import type { MemoryStoreConfig } from './config.ts';
import { exists, notFound } from './errors.ts';

interface Entry {
  readonly data: Uint8Array;
  readonly lastModified: number;
}

/** An object store held in memory, for tests. Children share the parent's objects. */
export class MemoryObjectStore implements ObjectStore {
  readonly root: string;

  constructor(
    config: MemoryStoreConfig = {},
    private readonly objects: Map<string, Entry> = new Map(),
    private readonly prefix = '',
  ) {
    this.root = `memory://${config.name ?? 'default'}${prefix ? `/${prefix}` : ''}`;
  }

  localPath(): undefined {
    return undefined;
  }

  child(prefix: string): MemoryObjectStore {
    return new MemoryObjectStore({ name: this.root.slice('memory://'.length).split('/')[0] }, this.objects, this.full(prefix));
  }

  async get(key: string): Promise<Uint8Array> {
    const e = this.objects.get(this.full(key));
    if (!e) throw notFound(key);
    return e.data;
  }

  async head(key: string): Promise<ObjectMeta> {
    const e = this.objects.get(this.full(key));
    if (!e) throw notFound(key);
    return { key: joinKey(key), size: e.data.byteLength, lastModified: e.lastModified };
  }

  async put(key: string, body: PutBody): Promise<void> {
    this.objects.set(this.full(key), { data: await bytes(body), lastModified: Date.now() });
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    const data = await bytes(body);
    const k = this.full(key);
    if (this.objects.has(k)) throw exists(key);
    this.objects.set(k, { data, lastModified: Date.now() });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    const base = this.prefix ? `${this.prefix}/` : '';
    const out: ObjectMeta[] = [];
    for (const [k, e] of this.objects) {
      if (!k.startsWith(base)) continue;
      const key = k.slice(base.length);
      if (!key.startsWith(prefix)) continue;
      if (options.startAfter !== undefined && key <= options.startAfter) continue;
      out.push({ key, size: e.data.byteLength, lastModified: e.lastModified });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(this.full(key));
  }

  private full(key: string): string {
    return joinKey(this.prefix, key);
  }
}

async function bytes(body: PutBody): Promise<Uint8Array> {
  return body instanceof Uint8Array ? body : new Uint8Array(await readFile(body.file));
}
