import { fileURLToPath } from 'node:url';
import { StorageError } from './errors.ts';
import { LocalObjectStore } from './local/index.ts';
import { MemoryObjectStore } from './memory/index.ts';
import type { ObjectStore } from './object-store.ts';
import { joinKey } from './object-store.ts';
import { S3ObjectStore, s3ConfigFromEnv } from './s3/index.ts';

const memoryStores = new Map<string, MemoryObjectStore>();

/**
 * Opens the object store a location names:
 * - a local path or `file://` URI → a LocalObjectStore on that directory;
 * - `s3://bucket/prefix` → an S3ObjectStore configured from the AWS environment (see `s3ConfigFromEnv`);
 * - `memory://name/prefix` → a MemoryObjectStore; the same name always gives the same objects within
 *   the process.
 * Any other scheme fails with `STORAGE_INVALID_LOCATION`.
 */
export function openStore(location: string): ObjectStore {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(location)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      if (location.trim() === '') throw invalid(location, 'empty location');
      return new LocalObjectStore({ directory: location });
    case 'file':
      return new LocalObjectStore({ directory: filePath(location) });
    case 's3':
      return new S3ObjectStore(s3ConfigFromEnv(location));
    case 'memory':
      return memoryStore(location.slice('memory://'.length));
    default:
      throw invalid(location, `unsupported scheme ${scheme}:// (use a path, file://, s3:// or memory://)`);
  }
}

function filePath(location: string): string {
  try {
    return fileURLToPath(location);
  } catch (e) {
    throw invalid(location, (e as Error).message, e);
  }
}

function memoryStore(rest: string): ObjectStore {
  const [name = '', ...path] = rest.split('/');
  if (name === '') throw invalid(`memory://${rest}`, 'missing store name (memory://name)');
  let store = memoryStores.get(name);
  if (store === undefined) {
    store = new MemoryObjectStore({ name });
    memoryStores.set(name, store);
  }
  const prefix = joinKey(...path);
  return prefix ? store.child(prefix) : store;
}

function invalid(location: string, reason: string, cause?: unknown): StorageError {
  return new StorageError('STORAGE_INVALID_LOCATION', `invalid storage location ${location}: ${reason}`, { cause });
}
