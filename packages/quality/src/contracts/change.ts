/**
 * What a contract change can be. A change is `breaking` when a party that changes nothing may see its
 * pipeline or query fail or return wrong results:
 * - producers, when a promise tightens: writes that passed may now fail the contract's checks
 *   (a column became required, unique or part of the key, a required column was added, accepted values
 *   or ranges narrowed, a rule was added, the freshness SLA tightened, extra columns forbidden);
 * - consumers, when a structural promise loosens: a column was removed or changed type, a column is no
 *   longer required (nulls now reach joins, arithmetic and APIs), no longer unique or no longer part of
 *   the key (joins may fan out), or its classification changed (who may read it changes).
 * Loosening a promise about values is `non_breaking`: accepted values or ranges widened, a rule removed,
 * the freshness SLA loosened; so are additions consumers can ignore (an optional column, a safe type
 * widening such as INTEGER → BIGINT).
 */
export const CHANGE_RULES = [
  'asset_changed',
  'version_not_bumped',
  'version_not_increased',
  'status_changed',
  'owner_changed',
  'column_removed',
  'column_added',
  'type_changed',
  'type_widened',
  'became_required',
  'became_optional',
  'became_unique',
  'no_longer_unique',
  'became_primary_key',
  'no_longer_primary_key',
  'classification_changed',
  'values_narrowed',
  'values_widened',
  'range_narrowed',
  'range_widened',
  'row_count_narrowed',
  'row_count_widened',
  'rule_added',
  'rule_removed',
  'freshness_tightened',
  'freshness_loosened',
  'freshness_column_changed',
  'extra_columns_forbidden',
  'extra_columns_allowed',
  'column_missing',
  'type_mismatch',
  'extra_column',
  'nullable_column',
] as const;
export type ChangeRule = (typeof CHANGE_RULES)[number];

/** One difference, as the CLI prints it and as its JSON output carries it. */
export interface ContractChange {
  readonly kind: 'breaking' | 'non_breaking';
  readonly rule: ChangeRule;
  /** Who a breaking change breaks. */
  readonly affects?: 'producers' | 'consumers' | 'both';
  /** The column concerned, when there is one. */
  readonly column?: string;
  /** A plain sentence naming the column and the old and new terms. */
  readonly message: string;
}

/**
 * The differences between two versions of a contract (`compared: 'versions'`, from the old version to
 * the new) or between a contract and a table's actual schema (`compared: 'table'`, `to` is `table`).
 * Plain data: `JSON.stringify` gives the CLI's JSON output.
 */
export interface ContractDiff {
  /** The asset key of the (new) contract. */
  readonly contract: string;
  readonly compared: 'versions' | 'table';
  readonly from: string;
  readonly to: string;
  /** Whether any change is breaking: `strata contract diff` exits non-zero when it is. */
  readonly breaking: boolean;
  /** Breaking changes first, then in the order of the contract's columns. */
  readonly changes: readonly ContractChange[];
}

export function breaking(rule: ChangeRule, affects: 'producers' | 'consumers' | 'both', message: string, column?: string): ContractChange {
  return { kind: 'breaking', rule, affects, ...(column === undefined ? {} : { column }), message };
}

export function nonBreaking(rule: ChangeRule, message: string, column?: string): ContractChange {
  return { kind: 'non_breaking', rule, ...(column === undefined ? {} : { column }), message };
}

export function makeDiff(contract: string, compared: 'versions' | 'table', from: string, to: string, changes: readonly ContractChange[]): ContractDiff {
  const ordered = [...changes.filter((c) => c.kind === 'breaking'), ...changes.filter((c) => c.kind === 'non_breaking')];
  return { contract, compared, from, to, breaking: ordered.some((c) => c.kind === 'breaking'), changes: ordered };
}
