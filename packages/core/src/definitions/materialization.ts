/**
 * How an asset's result becomes a table:
 * - `table`: the whole result replaces the table atomically (one Delta commit).
 * - `view`: a DuckDB view over upstream tables; nothing is stored.
 * - `incremental`: `append` adds the result; `merge` upserts it by `uniqueKey`; `replace_partition`
 *   replaces only the run's partition (replaceWhere).
 * - `snapshot`: SCD type 2 history by `uniqueKey`: changed rows close the current version
 *   (`valid_to`, `is_current = false`) and open a new one.
 */
export type Materialization =
  | { readonly kind: 'table' }
  | { readonly kind: 'view' }
  | { readonly kind: 'incremental'; readonly strategy: 'append' }
  | { readonly kind: 'incremental'; readonly strategy: 'merge'; readonly uniqueKey: readonly string[] }
  | { readonly kind: 'incremental'; readonly strategy: 'replace_partition' }
  | {
      readonly kind: 'snapshot';
      readonly uniqueKey: readonly string[];
      /** Column whose change marks a new version; without it every non-key column is compared. */
      readonly updatedAt?: string;
    };

export const TABLE: Materialization = { kind: 'table' };
