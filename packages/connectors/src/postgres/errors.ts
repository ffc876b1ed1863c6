import { ConnectorError } from '../errors.ts';
import { isNetworkError, messageOf } from '../sql-database/errors.ts';

/** SQLSTATEs after which trying again may succeed: lost or refused connections, server shutdown, conflicts. */
const RETRYABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const AUTH_STATES = new Set(['28000', '28P01']);

/**
 * A node-postgres failure as a ConnectorError saying where (`where` names the server, database
 * and stream or table, never the password): refused credentials → CONNECTOR_AUTH; anything else
 * → CONNECTOR_DATABASE, retryable when the connection failed or the server asked to retry.
 */
export function postgresError(e: unknown, where: string): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const state = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : '';
  const detail = (e as { detail?: unknown }).detail;
  const message = `${where}: ${messageOf(e)}${typeof detail === 'string' && detail ? ` (${detail})` : ''}`;
  if (AUTH_STATES.has(state)) return new ConnectorError('CONNECTOR_AUTH', message, { cause: e });
  const retryable = isNetworkError(e) || state.startsWith('08') || RETRYABLE_STATES.has(state);
  return new ConnectorError('CONNECTOR_DATABASE', message, { cause: e, retryable });
}
