import { MysqlDestinationConfigSchema, MysqlSourceConfigSchema, mysqlDestination, mysqlSource } from '../mysql/index.ts';
import { PostgresDestinationConfigSchema, PostgresSourceConfigSchema, postgresDestination, postgresSource } from '../postgres/index.ts';
import { exportComponent } from './export-component.ts';
import { sourceComponent } from './source-component.ts';

const origin = (kind: string) => (config: { streams: readonly { name: string; table?: string; query?: string }[] }, stream: string) => {
  const s = config.streams.find((x) => x.name === stream);
  return `${kind}: ${s?.table ?? 'query'}`;
};

/** `component: postgres_source`: PostgreSQL tables or queries into bronze, full or incremental by a cursor column. */
export const postgresSourceComponent = sourceComponent({
  name: 'postgres_source',
  description: 'Loads PostgreSQL tables or queries into bronze tables (full, or incremental by a cursor column), in chunks',
  schema: PostgresSourceConfigSchema,
  source: (config) => postgresSource(config),
  origin: origin('postgres'),
});

/** `component: mysql_source`: MySQL / MariaDB tables or queries into bronze. */
export const mysqlSourceComponent = sourceComponent({
  name: 'mysql_source',
  description: 'Loads MySQL or MariaDB tables or queries into bronze tables (full, or incremental by a cursor column), in chunks',
  schema: MysqlSourceConfigSchema,
  source: (config) => mysqlSource(config),
  origin: origin('mysql'),
});

/** `component: postgres_export`: an asset's table into a PostgreSQL table (atomic replace or upsert). */
export const postgresExportComponent = exportComponent({
  name: 'postgres_export',
  description: 'Copies an asset table into a PostgreSQL table: atomic replace or upsert by key, optional byte-rate limit',
  schema: PostgresDestinationConfigSchema,
  destination: (config) => postgresDestination(config),
});

/** `component: mysql_export`: an asset's table into a MySQL / MariaDB table. */
export const mysqlExportComponent = exportComponent({
  name: 'mysql_export',
  description: 'Copies an asset table into a MySQL or MariaDB table: atomic replace or upsert by key, optional byte-rate limit',
  schema: MysqlDestinationConfigSchema,
  destination: (config) => mysqlDestination(config),
});
