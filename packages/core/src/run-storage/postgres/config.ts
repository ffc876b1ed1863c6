import { CoreError } from '../../errors.ts';

/** Configuration of the PostgreSQL run storage. */
export interface PostgresRunStorageConfig {
  /** libpq-style URL, e.g. `postgres://user:password@host:5432/database`. */
  readonly connectionString: string;
  /** Schema holding the tables, created when missing, so several projects can share a database; default `strata`. */
  readonly schema?: string;
  /** Most connections the pool opens; default 10. */
  readonly maxConnections?: number;
}

export const DEFAULT_SCHEMA = 'strata';
export const DEFAULT_MAX_CONNECTIONS = 10;

/** The schema name, checked so that it needs no quoting. */
export function schemaName(config: PostgresRunStorageConfig): string {
  const schema = config.schema ?? DEFAULT_SCHEMA;
  // pg_ names are reserved for system schemas.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema) || schema.startsWith('pg_')) {
    throw new CoreError(
      'CORE_INVALID_CONFIG',
      `invalid PostgreSQL schema name "${schema}": use up to 63 lower-case letters, digits and underscores, not starting with a digit or pg_`,
    );
  }
  return schema;
}

/** The pool size; fails with CORE_INVALID_CONFIG unless it is a positive integer. */
export function maxConnections(config: PostgresRunStorageConfig): number {
  const max = config.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!(Number.isSafeInteger(max) && max >= 1)) throw new CoreError('CORE_INVALID_CONFIG', `PostgreSQL maxConnections must be a positive integer, got ${max}`);
  return max;
}

/** The connection string without its password, for messages. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password !== '') url.password = '***';
    return url.href;
  } catch {
    return connectionString.replace(/:[^:@/]*@/, ':***@');
  }
}
