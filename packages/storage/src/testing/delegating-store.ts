import type { ListOptions, ObjectMeta, ObjectStore, PutBody } from '../object-store.ts';

/**
 * A store that forwards every call to another; tests subclass it and override one method to
 * order or fail real operations (a held commit, a lost reply) without mocking the store.
 */
export class DelegatingStore implements ObjectStore {
  constructor(protected readonly inner: ObjectStore) {}
  get root(): string {
    return this.inner.root;
  }
  get(key: string): Promise<Uint8Array> {
    return this.inner.get(key);
  }
  head(key: string): Promise<ObjectMeta> {
    return this.inner.head(key);
  }
  put(key: string, body: PutBody): Promise<void> {
    return this.inner.put(key, body);
  }
  putIfAbsent(key: string, body: PutBody): Promise<void> {
    return this.inner.putIfAbsent(key, body);
  }
  list(prefix: string, options?: ListOptions): Promise<ObjectMeta[]> {
    return this.inner.list(prefix, options);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  localPath(key: string): string | undefined {
    return this.inner.localPath(key);
  }
  /** Children are plain stores: the overridden behaviour applies at this root only. */
  child(prefix: string): ObjectStore {
    return this.inner.child(prefix);
  }
}
