import type { JsonValue } from '../source.ts';

/** How a dialect writes the parts of a chunk query. */
export interface KeysetDialect {
  ident(name: string): string;
  /** The placeholder of parameter number `index` (1-based), whose value is compared with `column`. */
  placeholder(index: number, column: string): string;
  /**
   * Whether a row comparison `(a, b) > ($1, $2)` reads an index on (a, b) as a range (PostgreSQL);
   * otherwise the comparison is expanded to `a > ? OR (a = ? AND b > ?)` (MySQL, MariaDB).
   */
  readonly rowComparison: boolean;
}

/** Where a chunk starts. */
export type Bound =
  /** Rows strictly after `values` in the order of `columns`. */
  | { readonly kind: 'after'; readonly columns: readonly string[]; readonly values: readonly JsonValue[] }
  /** Rows whose `column` is at least `value` (a cursor's configured start). */
  | { readonly kind: 'from'; readonly column: string; readonly value: JsonValue };

export interface ChunkQueryOptions {
  readonly bound?: Bound;
  /** Only rows where `column` equals `value` (the ties of a cursor value). */
  readonly equal?: { readonly column: string; readonly value: JsonValue };
  /** Columns that must not be NULL (a cursor: NULL never compares greater than a watermark). */
  readonly notNull?: readonly string[];
  readonly orderBy?: readonly string[];
  readonly limit?: number;
}

export interface ChunkQuery {
  readonly sql: string;
  readonly params: readonly JsonValue[];
}

/** `SELECT * FROM from WHERE … ORDER BY … LIMIT …` with its parameters, in the dialect's syntax. */
export function chunkQuery(dialect: KeysetDialect, from: string, options: ChunkQueryOptions): ChunkQuery {
  const params: JsonValue[] = [];
  const param = (column: string, value: JsonValue) => {
    params.push(value);
    return dialect.placeholder(params.length, column);
  };
  const where: string[] = (options.notNull ?? []).map((c) => `${dialect.ident(c)} IS NOT NULL`);
  const { bound, equal } = options;
  if (bound?.kind === 'from') where.push(`${dialect.ident(bound.column)} >= ${param(bound.column, bound.value)}`);
  if (bound?.kind === 'after') where.push(after(dialect, bound.columns, bound.values, param));
  if (equal) where.push(`${dialect.ident(equal.column)} = ${param(equal.column, equal.value)}`);
  let sql = `SELECT * FROM ${from}`;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  if (options.orderBy?.length) sql += ` ORDER BY ${options.orderBy.map((c) => dialect.ident(c)).join(', ')}`;
  if (options.limit !== undefined) sql += ` LIMIT ${options.limit}`;
  return { sql, params };
}

function after(
  dialect: KeysetDialect,
  columns: readonly string[],
  values: readonly JsonValue[],
  param: (column: string, value: JsonValue) => string,
): string {
  const value = (i: number) => values[i] ?? null;
  const col = (i: number) => dialect.ident(columns[i] as string);
  if (columns.length === 1) return `${col(0)} > ${param(columns[0] as string, value(0))}`;
  if (dialect.rowComparison) {
    return `(${columns.map((_, i) => col(i)).join(', ')}) > (${columns.map((c, i) => param(c, value(i))).join(', ')})`;
  }
  // (a, b, c) > (x, y, z)  ⇔  a > x OR (a = x AND b > y) OR (a = x AND b = y AND c > z)
  const terms = columns.map((c, i) => {
    const equal = columns.slice(0, i).map((e, j) => `${col(j)} = ${param(e, value(j))}`);
    return [...equal, `${col(i)} > ${param(c, value(i))}`].join(' AND ');
  });
  return `(${terms.map((t) => `(${t})`).join(' OR ')})`;
}
