/** Metadata of one stored object. */
export interface ObjectMeta {
  /** Key relative to the store root, '/'-separated, never starting with '/'. */
  readonly key: string;
  readonly size: number;
  /** Last modification time, whole milliseconds since the epoch. */
  readonly lastModified: number;
}

/** Data to store: bytes in memory, or a local file streamed from disk (large data files). */
export type PutBody = Uint8Array | { readonly file: string };

export interface ListOptions {
  /** Only keys strictly greater (byte order) than this key are returned. */
  readonly startAfter?: string;
}

/**
 * The object-store seam. Keys are relative to the store's root and use '/' separators.
 *
 * Contract:
 * - `get` and `head` fail with StorageError `STORAGE_NOT_FOUND` when nothing is at the key.
 * - `put` writes or replaces the object atomically: readers see the old or the new bytes, never a mix.
 * - `putIfAbsent` writes only if no object is at the key, atomically; otherwise fails with
 *   `STORAGE_EXISTS` and leaves the existing object untouched. This is what Delta commits rely on.
 * - `list(prefix)` returns every object whose key starts with `prefix`, sorted by key, recursively.
 * - `delete` removes the object; deleting a missing key succeeds.
 */
export interface ObjectStore {
  /** A URI naming the store root, e.g. `file:///data/lake` or `s3://bucket/prefix`. */
  readonly root: string;
  get(key: string): Promise<Uint8Array>;
  head(key: string): Promise<ObjectMeta>;
  put(key: string, body: PutBody): Promise<void>;
  putIfAbsent(key: string, body: PutBody): Promise<void>;
  list(prefix: string, options?: ListOptions): Promise<ObjectMeta[]>;
  delete(key: string): Promise<void>;
  /**
   * For stores whose objects are plain local files: the absolute path of the key, so an engine can
   * read it in place. Remote stores return undefined.
   */
  localPath(key: string): string | undefined;
  /** A store rooted at `prefix` below this one. */
  child(prefix: string): ObjectStore;
}

/** Joins key segments with '/', dropping empty segments and duplicate separators. */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p.length > 0)
    .join('/');
}
