import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ObjectStore } from '@strata/storage';
import { storageCall } from './storage-call.ts';

/**
 * Gives the engine a local path for an object: the file itself for local stores, otherwise a cached
 * download. Delta data, checkpoint and deletion-vector files are immutable once written, so a cached
 * copy of the right size is the object.
 */
export async function localFile(store: ObjectStore, key: string, cacheDir: string, size?: number): Promise<string> {
  const direct = store.localPath(key);
  if (direct !== undefined) return direct;
  const hash = createHash('sha256').update(`${store.root}\u0000${key}`).digest('hex').slice(0, 32);
  const target = join(cacheDir, 'objects', hash.slice(0, 2), `${hash}${extension(key)}`);
  // Concurrent scans of the same object share one download.
  const pending = downloads.get(target);
  if (pending) return pending;
  const download = fetchToCache(store, key, target, size).finally(() => downloads.delete(target));
  downloads.set(target, download);
  return download;
}

const downloads = new Map<string, Promise<string>>();

async function fetchToCache(store: ObjectStore, key: string, target: string, size?: number): Promise<string> {
  try {
    const s = await stat(target);
    if (size === undefined || s.size === size) return target;
  } catch {
    // not cached yet
  }
  const bytes = await storageCall(`read ${store.root}/${key}`, () => store.get(key));
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${randomUUID()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, target);
  return target;
}

/** Fetches many objects with bounded parallelism. */
export async function localFiles(
  store: ObjectStore,
  items: readonly { key: string; size?: number }[],
  cacheDir: string,
  concurrency = 16,
): Promise<string[]> {
  const out = new Array<string>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i] as { key: string; size?: number };
      out[i] = await localFile(store, item.key, cacheDir, item.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

function extension(key: string): string {
  const m = /\.[A-Za-z0-9]+$/.exec(key);
  return m ? m[0] : '';
}
