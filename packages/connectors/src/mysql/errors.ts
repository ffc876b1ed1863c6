import { ConnectorError } from '../errors.ts';
import { isNetworkError, messageOf } from '../sql-database/errors.ts';

/**
 * Server error numbers after which trying again may succeed: too many connections, lock wait
 * timeout, deadlock, server shutdown, connection killed or lost.
 */
const RETRYABLE_ERRNOS = new Set([1040, 1053, 1205, 1213, 1927, 2002, 2003, 2006, 2013, 4031]);
/** Access denied (to the server, or to the database). */
const AUTH_ERRNOS = new Set([1044, 1045]);

/**
 * A mysql2 failure as a ConnectorError saying where (`where` names the server, database and
 * stream or table, never the password): refused credentials → CONNECTOR_AUTH; anything else →
 * CONNECTOR_DATABASE, retryable when the connection failed or the server asked to retry.
 */
export function mysqlError(e: unknown, where: string): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const errno = typeof (e as { errno?: unknown }).errno === 'number' ? (e as { errno: number }).errno : 0;
  const message = `${where}: ${messageOf(e)}`;
  if (AUTH_ERRNOS.has(errno)) return new ConnectorError('CONNECTOR_AUTH', message, { cause: e });
  const retryable = isNetworkError(e) || RETRYABLE_ERRNOS.has(errno);
  return new ConnectorError('CONNECTOR_DATABASE', message, { cause: e, retryable });
}
