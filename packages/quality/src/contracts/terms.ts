import type { Contract, TableRule } from './contract-schema.ts';
import { parseDuration } from '../duration.ts';

export type Value = string | number | boolean;
export interface Bounds {
  readonly min?: number | string;
  readonly max?: number | string;
}

/** What a contract promises about one column, whichever way it was written (flags or rules). */
export interface ColumnTerms {
  readonly name: string;
  readonly type: string;
  /** `required`, or a not_null rule on the column (the primary key is kept apart). */
  readonly required: boolean;
  /** `unique`, or a single-column unique rule on the column. */
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly classification?: string;
  /** Values allowed by the accepted_values rules (their intersection), if any. */
  readonly values?: readonly Value[];
  /** Bounds of the range rules (the tightest), if any. */
  readonly range?: Bounds;
  /** Other rules on the column (regex, expression), by identity → a description. */
  readonly rules: ReadonlyMap<string, string>;
}

/** A contract reduced to its promises, so that two contracts can be compared term by term. */
export interface ContractTerms {
  /** Keyed by lower-case column name (DuckDB names are case-insensitive). */
  readonly columns: ReadonlyMap<string, ColumnTerms>;
  readonly rowCount?: Bounds;
  /** Table rules not about one column (expressions, composite unique), by identity → a description. */
  readonly rules: ReadonlyMap<string, string>;
  readonly freshness?: { readonly text: string; readonly ms: number; readonly column?: string };
  readonly additionalColumns: boolean;
}

interface MutableColumn {
  name: string;
  type: string;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  classification?: string;
  values?: Value[];
  range?: Bounds;
  rules: Map<string, string>;
}

export function contractTerms(contract: Contract): ContractTerms {
  const columns = new Map<string, MutableColumn>();
  for (const c of contract.schema) {
    columns.set(c.name.toLowerCase(), {
      name: c.name,
      type: c.type,
      required: c.required,
      unique: c.unique,
      primaryKey: c.primaryKey,
      ...(c.classification === undefined ? {} : { classification: c.classification.toLowerCase() }),
      rules: new Map(),
    });
  }
  const rules = new Map<string, string>();
  let rowCount: Bounds | undefined;
  const apply = (rule: TableRule) => {
    const col = 'column' in rule ? columns.get(rule.column.toLowerCase()) : undefined;
    switch (rule.type) {
      case 'not_null':
        if (col) col.required = true;
        break;
      case 'unique': {
        const single = rule.columns.length === 1 ? columns.get((rule.columns[0] ?? '').toLowerCase()) : undefined;
        if (single) single.unique = true;
        else rules.set(`unique:${rule.columns.map((c) => c.toLowerCase()).join(',')}`, `unique (${rule.columns.join(', ')})`);
        break;
      }
      case 'accepted_values':
        if (col) col.values = col.values ? col.values.filter((v) => rule.values.includes(v)) : [...rule.values];
        break;
      case 'range':
        if (col) col.range = tighter(col.range, rule);
        break;
      case 'regex':
        col?.rules.set(`regex:${rule.pattern}`, `pattern ${rule.pattern}`);
        break;
      case 'expression':
        rules.set(`expression:${rule.expression}`, `expression "${rule.expression}"`);
        break;
      case 'row_count':
        rowCount = tighter(rowCount, rule);
        break;
    }
  };
  for (const c of contract.schema) {
    for (const rule of c.quality) {
      const col = columns.get(c.name.toLowerCase());
      if (rule.type === 'expression') col?.rules.set(`expression:${rule.expression}`, `expression "${rule.expression}"`);
      else if (rule.type === 'unique') apply({ ...rule, columns: [c.name] });
      else apply({ ...rule, column: c.name });
    }
  }
  for (const rule of contract.quality) apply(rule);
  const sla = contract.sla;
  return {
    columns,
    ...(rowCount === undefined ? {} : { rowCount }),
    rules,
    ...(sla === undefined
      ? {}
      : { freshness: { text: sla.freshness, ms: parseDuration(sla.freshness) ?? 0, ...(sla.freshness_column === undefined ? {} : { column: sla.freshness_column }) } }),
    additionalColumns: contract.additional_columns,
  };
}

/** The intersection of two ranges when their bounds compare; otherwise the later one. */
function tighter(a: Bounds | undefined, b: Bounds): Bounds {
  const pick = (x: number | string | undefined, y: number | string | undefined, keep: (x: number | string, y: number | string) => boolean) =>
    x === undefined ? y : y === undefined ? x : typeof x === typeof y && keep(x, y) ? x : y;
  const min = pick(a?.min, b.min, (x, y) => x > y);
  const max = pick(a?.max, b.max, (x, y) => x < y);
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}
