import type { Engine } from '@strata/delta';
import type { BatchData, RejectedRecord } from '../source.ts';
import { tempName } from './sql.ts';

/** One file made readable by the engine session: its rows, its rejected records, what to clean up. */
export interface StagedFile {
  /** The rows: an SQL relation over a temporary table (or the file), or no records at all. */
  readonly data: BatchData;
  readonly rejected: readonly RejectedRecord[];
  /** How many rows `data` holds. */
  readonly rows: number;
  /** Drops the temporary tables; called once the batch was consumed. */
  release(): Promise<void>;
}

/** A batch without rows (an empty file, a file whose every record was rejected). */
export const NO_ROWS: BatchData = { kind: 'records', records: [] };

/** The temporary tables staging one file, dropped together. */
export class TempTables {
  private readonly refs: string[] = [];

  constructor(private readonly engine: Engine) {}

  /** A fresh, unique table name; the table itself is created by the caller. */
  create(kind: string): { readonly name: string; readonly ref: string } {
    const t = tempName(kind);
    this.refs.push(t.ref);
    return t;
  }

  async dropAll(): Promise<void> {
    for (const ref of this.refs.splice(0).reverse()) await this.engine.exec(`DROP TABLE IF EXISTS ${ref}`);
  }
}
