import type { Engine } from '@strata/delta';
import type { ContractChange, ContractDiff } from './change.ts';
import { breaking, makeDiff, nonBreaking } from './change.ts';
import type { Contract } from './contract-schema.ts';
import { normalizeDuckDbType, normalizeType, typeMatches } from './types.ts';

/** A column of an actual table: its DuckDB type, and whether it may hold nulls when that is known. */
export interface ActualColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable?: boolean;
}

/**
 * How a table's actual schema departs from its contract: a contract column missing from the table
 * or of another type (breaking); a table column the contract does not list (breaking when the
 * contract says `additional_columns: false`, otherwise not); a required column the table declares
 * nullable (not breaking: the contract's not_null check still rejects nulls at write time).
 * Column names match case-insensitively, as in DuckDB.
 */
export function diffContractWithSchema(contract: Contract, actual: readonly ActualColumn[]): ContractDiff {
  const changes: ContractChange[] = [];
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  for (const col of contract.schema) {
    const found = byName.get(col.name.toLowerCase());
    if (!found) {
      changes.push(breaking('column_missing', 'consumers', `column ${col.name} is in the contract but not in the table`, col.name));
      continue;
    }
    if (!typeMatches(col.type, found.type)) {
      const actualType = normalizeDuckDbType(found.type) ?? found.type;
      const expected = normalizeType(col.type) ?? col.type;
      changes.push(breaking('type_mismatch', 'consumers', `column ${col.name} is ${actualType} in the table but ${expected} in the contract`, col.name));
    }
    if ((col.required || col.primaryKey) && found.nullable === true) {
      changes.push(nonBreaking('nullable_column', `column ${col.name} is nullable in the table though the contract requires a value; the not_null check enforces it`, col.name));
    }
  }
  const listed = new Set(contract.schema.map((c) => c.name.toLowerCase()));
  for (const col of actual) {
    if (listed.has(col.name.toLowerCase())) continue;
    if (contract.additional_columns) changes.push(nonBreaking('extra_column', `column ${col.name} is in the table but not in the contract`, col.name));
    else changes.push(breaking('extra_column', 'consumers', `column ${col.name} is in the table but the contract allows no other columns`, col.name));
  }
  return makeDiff(contract.id, 'table', contract.version, 'table', changes);
}

/** The result columns of a query (e.g. `select * from gold.revenue_by_park`) as DuckDB describes them, without running it. */
export async function describeSchema(engine: Engine, sql: string): Promise<ActualColumn[]> {
  const info = await engine.describe(sql);
  return info.names.map((name, i) => ({ name, type: String(info.types[i]) }));
}
