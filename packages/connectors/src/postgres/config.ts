import type { z } from 'zod';
import { connectionLocation, sqlDestinationConfigSchema, sqlSourceConfigSchema } from '../sql-database/config.ts';
import type { Connection } from '../sql-database/config.ts';

const PROTOCOLS = ['postgres:', 'postgresql:'];

/**
 * `postgresSource` configuration: `connection` (a `postgres://user:password@host:5432/db` URL or
 * host/port/user/password/database) and `streams`, each a `table` (`schema.table`) or a `query`,
 * with an optional `cursor` ({ column, start }), `primary_key` and `chunk_size`.
 */
export const PostgresSourceConfigSchema = sqlSourceConfigSchema(PROTOCOLS);
export type PostgresSourceConfig = z.input<typeof PostgresSourceConfigSchema>;

/** `postgresDestination` configuration: `connection`, and defaults for `max_bytes_per_second` and `batch_rows`. */
export const PostgresDestinationConfigSchema = sqlDestinationConfigSchema(PROTOCOLS);
export type PostgresDestinationConfig = z.input<typeof PostgresDestinationConfigSchema>;

/** `postgres://user@host:5432/db`, without the password. */
export function postgresLocation(connection: Connection): string {
  return connectionLocation(connection, 'postgres', 5432);
}
