import { randomUUID } from 'node:crypto';
import type { Engine } from '@strata/delta';
import { ConnectorError } from '../errors.ts';
import { messageOf } from './errors.ts';
import { duckdbIdent } from './duckdb-types.ts';

export interface RelationColumn {
  readonly name: string;
  /** The DuckDB type, as DESCRIBE writes it. */
  readonly type: string;
}

/**
 * A relation to export, materialized once in a temporary table of the DuckDB session so that it
 * can be read in batches by row id: a `rowid` range filter is pushed into the table scan, so each
 * batch reads only its own row groups. Dropped by `drop`.
 */
export class StagedRelation {
  private constructor(
    private readonly engine: Engine,
    /** The quoted temporary table. */
    readonly table: string,
    readonly columns: readonly RelationColumn[],
    readonly rowCount: number,
  ) {}

  /** Materializes `sql`; fails with CONNECTOR_EXPORT when the session cannot run it. */
  static async create(engine: Engine, sql: string, where: string): Promise<StagedRelation> {
    const table = duckdbIdent(`strata_export_${randomUUID().replaceAll('-', '')}`);
    try {
      await engine.exec(`CREATE TEMP TABLE ${table} AS ${sql.trim().replace(/;+$/, '')}`);
    } catch (e) {
      throw new ConnectorError('CONNECTOR_EXPORT', `${where}: the relation cannot be read: ${messageOf(e)}`, { cause: e });
    }
    try {
      const described = await engine.query<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`);
      const [count] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      return new StagedRelation(engine, table, described.map((c) => ({ name: c.column_name, type: c.column_type })), Number(count?.n ?? 0));
    } catch (e) {
      await engine.exec(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Reads the rows in batches of `batchRows`, each row as the values of `expressions` (DuckDB SQL
   * over the relation's columns, each rendering a VARCHAR or NULL).
   */
  async *batches(expressions: readonly string[], batchRows: number): AsyncGenerator<(string | null)[][]> {
    const select = expressions.map((e, i) => `${e} AS c${i}`).join(', ');
    for (let start = 0; start < this.rowCount; start += batchRows) {
      const rows = await this.engine.query(`SELECT ${select} FROM ${this.table} WHERE rowid >= ${start} AND rowid < ${start + batchRows}`);
      yield rows.map((row) => expressions.map((_, i) => {
        const value = row[`c${i}`];
        return value === null || value === undefined ? null : String(value);
      }));
    }
  }

  /** One row's `keys` values shared by several rows, or undefined when the keys are unique. */
  async duplicateKey(keys: readonly string[]): Promise<Record<string, unknown> | undefined> {
    const list = keys.map(duckdbIdent).join(', ');
    const [row] = await this.engine.query(`SELECT ${list}, count(*) AS strata_duplicates FROM ${this.table} GROUP BY ${list} HAVING count(*) > 1 LIMIT 1`);
    return row;
  }

  /** The number of rows where one of `keys` is NULL. */
  async nullKeys(keys: readonly string[]): Promise<number> {
    const [row] = await this.engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${this.table} WHERE ${keys.map((k) => `${duckdbIdent(k)} IS NULL`).join(' OR ')}`);
    return Number(row?.n ?? 0);
  }

  async drop(): Promise<void> {
    await this.engine.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
