import type pg from 'pg';
import type { Destination } from '../destination.ts';
import { ConnectorError } from '../errors.ts';
import { connectionDatabase, parseConfig } from '../sql-database/config.ts';
import { exportRelation } from '../sql-database/export.ts';
import type { ExistingTable, TargetColumn, TargetDialect, TargetSession } from '../sql-database/target.ts';
import { qualify } from '../sql-database/table-name.ts';
import type { TableName } from '../sql-database/table-name.ts';
import { connectPostgres, quoteIdent } from './client.ts';
import { PostgresDestinationConfigSchema, postgresLocation } from './config.ts';
import type { PostgresDestinationConfig } from './config.ts';
import { postgresError } from './errors.ts';
import { pgCompatible, pgTargetColumn } from './export-types.ts';

const q = (table: TableName) => qualify(table, quoteIdent);

/**
 * Exports relations into PostgreSQL tables (types by `PG_WRITE_TYPES`). `replace` runs in one
 * transaction: a staging table created `LIKE` the target (its columns, defaults, constraints and
 * indexes) is loaded and counted, then the target is renamed away, the staging table renamed in
 * its place and the previous table dropped; readers see the old rows until the commit and the new
 * ones after it, and a failure rolls everything back. A table other objects depend on (views)
 * cannot be replaced this way: the drop fails and the export with it, leaving the table intact.
 * Grants on the table are not carried over to the new one. `upsert` runs `INSERT … ON CONFLICT
 * (keys) DO UPDATE` in one transaction. Each export uses its own connection.
 */
export function postgresDestination(input: PostgresDestinationConfig): Destination {
  const config = parseConfig(PostgresDestinationConfigSchema, input, 'postgres destination');
  const location = postgresLocation(config.connection);
  const dialect: TargetDialect = {
    location,
    maxIdentifierBytes: 63,
    maxParameters: 65_535,
    transactionalDdl: true,
    ident: quoteIdent,
    foldName: (name) => name,
    column: (name, duckdbType) => pgTargetColumn(name, duckdbType),
    compatible: pgCompatible,
    createTable: (table, columns, keys) => [
      `CREATE TABLE ${q(table)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.targetType}`).join(', ')})`,
      ...(keys.length > 0 ? [`CREATE UNIQUE INDEX ON ${q(table)} (${keys.map(quoteIdent).join(', ')})`] : []),
    ],
    createLike: (stage, table) => `CREATE TABLE ${q(stage)} (LIKE ${q(table)} INCLUDING ALL)`,
    insert: insertSql,
    swap: (table, stage, old) => [
      ...(old ? [`ALTER TABLE ${q(table)} RENAME TO ${quoteIdent(old.name)}`] : []),
      `ALTER TABLE ${q(stage)} RENAME TO ${quoteIdent(table.name)}`,
    ],
    connect: async () => PostgresTarget.open(await connectPostgres(config.connection), location),
    error: postgresError,
  };
  return {
    name: config.name ?? `postgres:${connectionDatabase(config.connection)}`,
    export: (exportInput, options) =>
      exportRelation(dialect, exportInput, options, { maxBytesPerSecond: config.max_bytes_per_second, batchRows: config.batch_rows }),
  };
}

function insertSql(table: TableName, columns: readonly TargetColumn[], rows: number, upsertKeys?: readonly string[]): string {
  const values: string[] = [];
  for (let r = 0; r < rows; r++) values.push(`(${columns.map((c, i) => c.placeholder(r * columns.length + i + 1)).join(', ')})`);
  let sql = `INSERT INTO ${q(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES ${values.join(', ')}`;
  if (upsertKeys) {
    const updates = columns.filter((c) => !upsertKeys.includes(c.name)).map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
    sql += ` ON CONFLICT (${upsertKeys.map(quoteIdent).join(', ')}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`;
  }
  return sql;
}

class PostgresTarget implements TargetSession {
  private constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
    private readonly location: string,
  ) {}

  static async open(client: pg.Client, location: string): Promise<PostgresTarget> {
    try {
      const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
      return new PostgresTarget(client, rows[0]?.schema ?? 'public', location);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  }

  qualified(table: TableName): TableName {
    return { schema: table.schema ?? this.schema, name: table.name };
  }

  async describe(table: TableName): Promise<ExistingTable | undefined> {
    const { rows: found } = await this.client.query<{ relkind: string }>('SELECT relkind FROM pg_class WHERE oid = to_regclass($1)', [q(table)]);
    const kind = found[0]?.relkind;
    if (kind === undefined) return undefined;
    if (kind !== 'r' && kind !== 'p') {
      throw new ConnectorError('CONNECTOR_EXPORT', `${this.location}, table ${q(table)}: it is not a table (relkind ${kind}); exports write tables only`);
    }
    const { rows: columns } = await this.client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [q(table)],
    );
    const { rows: keys } = await this.client.query<{ columns: string }>(
      `SELECT array_to_json(array_agg(a.attname ORDER BY k.ord)) AS columns
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND k.ord <= i.indnkeyatts
       GROUP BY i.indexrelid`,
      [q(table)],
    );
    return {
      columns: new Map(columns.map((c) => [c.name, c.type])),
      uniqueKeys: keys.map((k) => JSON.parse(k.columns) as string[]),
    };
  }

  async run(sql: string, params?: readonly (string | null)[]): Promise<void> {
    await this.client.query(sql, params ? [...params] : undefined);
  }

  async count(table: TableName): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
