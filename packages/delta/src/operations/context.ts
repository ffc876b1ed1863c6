import type { ObjectStore } from '@strata/storage';
import type { Engine } from '../engine/index.ts';

/** What every table operation works with: the table's store (rooted at the table) and the engine. */
export interface TableContext {
  readonly store: ObjectStore;
  readonly engine: Engine;
}
