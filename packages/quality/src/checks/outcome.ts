import type { CheckAction, CheckType } from './definition.ts';

export type SampleRow = Record<string, unknown>;

/** What evaluating a check found. */
export interface CheckOutcome {
  readonly name: string;
  readonly type: CheckType;
  readonly severity: 'warn' | 'error';
  readonly action: CheckAction;
  readonly blocking: boolean;
  readonly passed: boolean;
  /** Rows that fail a row-level check (for unique: every row of a duplicated key); rows a custom_sql returned. */
  readonly failingRows?: number;
  /**
   * A few failing rows (at most `sampleSize`), with only the checked columns and the
   * `sampleKeyColumns`, after `maskSample`. Dates, timestamps and other non-scalar values are text.
   */
  readonly sample?: readonly SampleRow[];
  /** Observed values: row count, min and max, change percentage, age… */
  readonly metrics?: Readonly<Record<string, number | string>>;
  /** What was found, in plain words: "12 rows have amount < 0 (min 0)". */
  readonly message: string;
  readonly description?: string;
}

export interface EvaluateOptions {
  /** The row count of the table's previous version, for row_count's max_change_pct. */
  readonly previousRowCount?: number;
  /** When the table was last loaded, for freshness checks without a column. */
  readonly lastLoadedAt?: Date;
  /** The time freshness is measured at (default: the current time). */
  readonly now?: Date;
  /** Turns a relationships check's `to:` into relation SQL (default: `to` is the SQL). */
  readonly resolveRelation?: (name: string) => string;
  /** Failing rows kept per failed check (default 5; 0 for none). */
  readonly sampleSize?: number;
  /** Columns added to every sample so that a row can be found again (those absent from the relation are left out). */
  readonly sampleKeyColumns?: readonly string[];
  /** Applied to every sample before it is returned (masking sensitive values). */
  readonly maskSample?: (rows: SampleRow[]) => SampleRow[];
}

/** Whether the outcome must stop the commit: a blocking check that failed. */
export function blocksCommit(outcome: CheckOutcome): boolean {
  return outcome.blocking && !outcome.passed;
}

/** What one check found, before the check's own fields are added to make its outcome. */
export interface Finding {
  readonly passed: boolean;
  readonly failingRows?: number;
  readonly metrics?: Record<string, number | string>;
  readonly message: string;
  readonly sample?: SampleRow[];
}
