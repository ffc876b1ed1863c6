/** Configuration of a local-filesystem object store. */
export interface LocalStoreConfig {
  /** Absolute or relative directory that is the store root; created on first write. */
  readonly directory: string;
}
