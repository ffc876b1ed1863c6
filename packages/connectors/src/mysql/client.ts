import mysql from 'mysql2';
import type { Connection as MysqlConnection, ConnectionOptions, TypeCast } from 'mysql2';
import type { Connection } from '../sql-database/config.ts';

/** Quotes an identifier for MySQL and MariaDB. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** Keeps every value as the bytes the server sent; the type table decodes them. */
export const RAW_BYTES: TypeCast = (field) => field.buffer();

/**
 * Connects one connection (utf8mb4, session time zone UTC so that TIMESTAMP columns read and
 * write in UTC, strict SQL mode so that a value that does not fit fails instead of being cut).
 */
export async function connectMysql(connection: Connection): Promise<MysqlConnection> {
  const options: ConnectionOptions = { charset: 'UTF8MB4_GENERAL_CI', connectTimeout: 30_000, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true };
  const conn =
    typeof connection === 'string'
      ? mysql.createConnection({ ...options, uri: connection })
      : mysql.createConnection({ ...options, host: connection.host, port: connection.port ?? 3306, user: connection.user, password: connection.password, database: connection.database });
  // A connection that breaks while idle is reported here; the next query then fails and says so.
  conn.on('error', () => undefined);
  try {
    await conn.promise().query(`SET time_zone = '+00:00', sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES')`);
    return conn;
  } catch (e) {
    conn.destroy();
    throw e;
  }
}
