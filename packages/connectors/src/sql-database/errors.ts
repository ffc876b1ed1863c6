import { ConnectorError } from '../errors.ts';

/** Socket-level failures of Node and the drivers: the server may answer on another try. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** Whether `e` (or an error it aggregates) failed at the socket level. */
export function isNetworkError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (e instanceof AggregateError) return e.errors.some(isNetworkError);
  return /Connection terminated|connection is closed|Can't add new command when connection is in closed state/i.test(e.message);
}

/** The load or export was canceled through its abort signal. */
export function canceled(where: string): ConnectorError {
  return new ConnectorError('CONNECTOR_CANCELED', `${where}: canceled`);
}

export function throwIfAborted(signal: AbortSignal, where: string): void {
  if (signal.aborted) throw canceled(where);
}

/** The driver's message, without a trailing period, for messages that add where it happened. */
export function messageOf(e: unknown): string {
  const message = e instanceof AggregateError && e.errors.length > 0 ? messageOf(e.errors[0]) : e instanceof Error ? e.message : String(e);
  return message.replace(/\.$/, '') || (e as { code?: string }).code || 'unknown error';
}
