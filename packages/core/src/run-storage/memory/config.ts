/** Configuration of an in-memory run storage (tests). */
export interface MemoryRunStorageConfig {
  /** Name used in messages, as `memory:<name>`. */
  readonly name?: string;
}
