import type { Engine } from '@strata/delta';
import { sqlIdent as ident } from '@strata/delta';

/**
 * A lazy, immutable query over DuckDB in the spirit of DuckDB's relational API: each method
 * returns a new relation; nothing runs until `fetch` (or until compute returns it and Strata
 * writes it). `compute: (ctx) => ctx.relation('silver.bookings').filter("status = 'confirmed'")`.
 */
export class Relation {
  private constructor(
    /** The SQL query this relation stands for. */
    readonly sql: string,
    private readonly engine: Engine,
    private readonly before?: () => Promise<void>,
  ) {}

  /** A relation over a table name (`silver.bookings`) or an SQL query (`select …`). */
  static of(source: string, engine: Engine, before?: () => Promise<void>): Relation {
    const sql = /^\s*(select|with|from|values|\()/i.test(source) ? source : `SELECT * FROM ${source}`;
    return new Relation(sql, engine, before);
  }

  private next(sql: string): Relation {
    return new Relation(sql, this.engine, this.before);
  }

  /** Rows for which the SQL predicate is true. */
  filter(predicate: string): Relation {
    return this.next(`SELECT * FROM (${this.sql}) WHERE ${predicate}`);
  }

  /** Only these expressions (`'id'`, `'amount * 1.2 AS gross'`). */
  project(...expressions: string[]): Relation {
    return this.next(`SELECT ${expressions.join(', ')} FROM (${this.sql})`);
  }

  /** Aggregates (`'sum(amount) AS revenue'`) grouped by `groups` (none: one row). */
  aggregate(aggregates: readonly string[], groups: readonly string[] = []): Relation {
    const cols = [...groups, ...aggregates].join(', ');
    return this.next(`SELECT ${cols} FROM (${this.sql})${groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : ''}`);
  }

  /** Joins another relation; `on` is a column list (`['park_id']`) or an SQL condition over `l` and `r`. */
  join(other: Relation, on: readonly string[] | string, how: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' = 'inner'): Relation {
    const kind = { inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL', semi: 'SEMI', anti: 'ANTI' }[how];
    const condition = typeof on === 'string' ? `ON ${on}` : `USING (${on.map(ident).join(', ')})`;
    return this.next(`SELECT * FROM (${this.sql}) AS l ${kind} JOIN (${other.sql}) AS r ${condition}`);
  }

  order(...by: string[]): Relation {
    return this.next(`SELECT * FROM (${this.sql}) ORDER BY ${by.join(', ')}`);
  }

  limit(n: number, offset = 0): Relation {
    return this.next(`SELECT * FROM (${this.sql}) LIMIT ${Math.trunc(n)}${offset > 0 ? ` OFFSET ${Math.trunc(offset)}` : ''}`);
  }

  distinct(): Relation {
    return this.next(`SELECT DISTINCT * FROM (${this.sql})`);
  }

  /** Rows of both (`all` keeps duplicates), matched by column name. */
  union(other: Relation, all = true): Relation {
    return this.next(`(${this.sql}) UNION ${all ? 'ALL ' : ''}BY NAME (${other.sql})`);
  }

  /** Runs the query and returns its rows (for small results). */
  async fetch<T extends Record<string, unknown> = Record<string, unknown>>(): Promise<T[]> {
    await this.before?.();
    return this.engine.query<T>(this.sql);
  }

  toString(): string {
    return this.sql;
  }
}

export function isRelation(x: unknown): x is Relation {
  return x instanceof Relation;
}
