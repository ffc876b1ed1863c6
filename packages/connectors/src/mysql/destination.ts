import type { Connection as MysqlConnection, RowDataPacket } from 'mysql2';
import type { Destination } from '../destination.ts';
import { ConnectorError } from '../errors.ts';
import { connectionDatabase, parseConfig } from '../sql-database/config.ts';
import { exportRelation } from '../sql-database/export.ts';
import type { ExistingTable, TargetColumn, TargetDialect, TargetSession } from '../sql-database/target.ts';
import { qualify } from '../sql-database/table-name.ts';
import type { TableName } from '../sql-database/table-name.ts';
import { connectMysql, quoteIdent } from './client.ts';
import { MysqlDestinationConfigSchema, mysqlLocation } from './config.ts';
import type { MysqlDestinationConfig } from './config.ts';
import { mysqlError } from './errors.ts';
import { mysqlCompatible, mysqlTargetColumn } from './export-types.ts';

const q = (table: TableName) => qualify(table, quoteIdent);

/**
 * Exports relations into MySQL or MariaDB tables (types by `MYSQL_WRITE_TYPES`). `replace` loads
 * a staging table created `LIKE` the target (columns, defaults, indexes), counts it, then swaps it
 * in with one `RENAME TABLE t TO old, stage TO t` (atomic: readers see the old rows or the new
 * ones) and drops the previous table; on failure the staging table is dropped and the target is
 * untouched. `upsert` runs `INSERT … ON DUPLICATE KEY UPDATE` in one transaction, after any DDL
 * (which MySQL commits on its own). ON DUPLICATE KEY matches any unique index of the table, so
 * the keys' index should be its only one. Each export uses its own connection.
 */
export function mysqlDestination(input: MysqlDestinationConfig): Destination {
  const config = parseConfig(MysqlDestinationConfigSchema, input, 'mysql destination');
  const location = mysqlLocation(config.connection);
  const dialect: TargetDialect = {
    location,
    maxIdentifierBytes: 64,
    // Statements are formatted by the client, so only the statement size bounds them.
    maxParameters: 1_000_000,
    transactionalDdl: false,
    ident: quoteIdent,
    foldName: (name) => name.toLowerCase(),
    column: mysqlTargetColumn,
    compatible: mysqlCompatible,
    createTable: (table, columns, keys) => [
      `CREATE TABLE ${q(table)} (${[
        ...columns.map((c) => `${quoteIdent(c.name)} ${c.targetType}`),
        ...(keys.length > 0 ? [`UNIQUE KEY (${keys.map(quoteIdent).join(', ')})`] : []),
      ].join(', ')}) DEFAULT CHARSET = utf8mb4`,
    ],
    createLike: (stage, table) => `CREATE TABLE ${q(stage)} LIKE ${q(table)}`,
    insert: insertSql,
    swap: (table, stage, old) => [old ? `RENAME TABLE ${q(table)} TO ${q(old)}, ${q(stage)} TO ${q(table)}` : `RENAME TABLE ${q(stage)} TO ${q(table)}`],
    connect: async () => MysqlTarget.open(await connectMysql(config.connection), location),
    error: mysqlError,
  };
  return {
    name: config.name ?? `mysql:${connectionDatabase(config.connection)}`,
    export: (exportInput, options) =>
      exportRelation(dialect, exportInput, options, { maxBytesPerSecond: config.max_bytes_per_second, batchRows: config.batch_rows }),
  };
}

function insertSql(table: TableName, columns: readonly TargetColumn[], rows: number, upsertKeys?: readonly string[]): string {
  const row = `(${columns.map((c, i) => c.placeholder(i + 1)).join(', ')})`;
  let sql = `INSERT INTO ${q(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
  if (upsertKeys) {
    const updated = columns.filter((c) => !upsertKeys.includes(c.name));
    // With only key columns there is nothing to update: assigning a key to itself leaves the row as it is.
    const set = (updated.length > 0 ? updated : columns.slice(0, 1)).map((c) => `${quoteIdent(c.name)} = VALUES(${quoteIdent(c.name)})`);
    sql += ` ON DUPLICATE KEY UPDATE ${set.join(', ')}`;
  }
  return sql;
}

class MysqlTarget implements TargetSession {
  private constructor(
    private readonly conn: MysqlConnection,
    private readonly database: string | undefined,
    private readonly location: string,
  ) {}

  static async open(conn: MysqlConnection, location: string): Promise<MysqlTarget> {
    try {
      const [rows] = await conn.promise().query<RowDataPacket[]>('SELECT DATABASE() AS db');
      return new MysqlTarget(conn, (rows[0]?.db as string | null) ?? undefined, location);
    } catch (e) {
      conn.destroy();
      throw e;
    }
  }

  qualified(table: TableName): TableName {
    const schema = table.schema ?? this.database;
    if (schema === undefined) {
      throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `${this.location}, table ${table.name}: name the database (database.table) or connect to one`);
    }
    return { schema, name: table.name };
  }

  async describe(table: TableName): Promise<ExistingTable | undefined> {
    const args = [table.schema, table.name];
    const [found] = await this.conn.promise().query<RowDataPacket[]>('SELECT TABLE_TYPE AS kind FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', args);
    const kind = found[0]?.kind as string | undefined;
    if (kind === undefined) return undefined;
    if (kind !== 'BASE TABLE') throw new ConnectorError('CONNECTOR_EXPORT', `${this.location}, table ${q(table)}: it is a ${kind.toLowerCase()}, not a table; exports write tables only`);
    const [columns] = await this.conn
      .promise()
      .query<RowDataPacket[]>('SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', args);
    const [indexed] = await this.conn
      .promise()
      .query<RowDataPacket[]>(
        'SELECT INDEX_NAME AS idx, COLUMN_NAME AS name, SUB_PART AS part FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX',
        args,
      );
    const indexes = new Map<string, { columns: string[]; prefix: boolean }>();
    for (const row of indexed) {
      const index = indexes.get(row.idx as string) ?? { columns: [], prefix: false };
      index.columns.push(row.name as string);
      // A unique index on a prefix of a column does not identify rows by the column's value.
      index.prefix ||= row.part !== null;
      indexes.set(row.idx as string, index);
    }
    return {
      columns: new Map(columns.map((c) => [c.name as string, String(c.type)])),
      uniqueKeys: [...indexes.values()].filter((i) => !i.prefix).map((i) => i.columns),
    };
  }

  async run(sql: string, params?: readonly (string | null)[]): Promise<void> {
    await this.conn.promise().query(sql, params ? [...params] : undefined);
  }

  async count(table: TableName): Promise<number> {
    const [rows] = await this.conn.promise().query<RowDataPacket[]>(`SELECT count(*) AS n FROM ${q(table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.conn.promise().end();
  }
}
