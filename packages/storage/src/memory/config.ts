/** Configuration of an in-memory object store (tests). */
export interface MemoryStoreConfig {
  /** Name used in the root URI `memory://<name>`. */
  readonly name?: string;
}
