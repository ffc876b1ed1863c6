import type { z } from 'zod';
import { connectionLocation, sqlDestinationConfigSchema, sqlSourceConfigSchema } from '../sql-database/config.ts';
import type { Connection } from '../sql-database/config.ts';

const PROTOCOLS = ['mysql:', 'mariadb:'];

/**
 * `mysqlSource` configuration (MySQL and MariaDB): `connection` (a `mysql://user:password@host:3306/db`
 * URL or host/port/user/password/database) and `streams`, each a `table` (`database.table`) or a
 * `query`, with an optional `cursor` ({ column, start }), `primary_key` and `chunk_size`.
 */
export const MysqlSourceConfigSchema = sqlSourceConfigSchema(PROTOCOLS);
export type MysqlSourceConfig = z.input<typeof MysqlSourceConfigSchema>;

/** `mysqlDestination` configuration: `connection`, and defaults for `max_bytes_per_second` and `batch_rows`. */
export const MysqlDestinationConfigSchema = sqlDestinationConfigSchema(PROTOCOLS);
export type MysqlDestinationConfig = z.input<typeof MysqlDestinationConfigSchema>;

/** `mysql://user@host:3306/db`, without the password. */
export function mysqlLocation(connection: Connection): string {
  return connectionLocation(connection, 'mysql', 3306);
}
