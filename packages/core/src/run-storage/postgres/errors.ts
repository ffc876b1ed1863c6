import { CoreError } from '../../errors.ts';
import { storageClosed } from '../errors.ts';

// SQLSTATE classes and codes after which the same call may succeed: connection loss, server
// shutting down or overloaded, serialization failures and deadlocks (the transaction was rolled back).
const TRANSIENT_CLASSES = new Set(['08', '53', '57']);
const TRANSIENT_STATES = new Set(['40001', '40P01', '55P03']);

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH']);

// node-postgres reports a dropped connection or a connect timeout as a plain Error.
const DROPPED = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Maps an error from node-postgres to CORE_STORAGE naming the database; contract errors pass through. */
export function fromPgError(err: unknown, location: string, action: string): CoreError {
  if (err instanceof CoreError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const detail = describe(err);
  const retryable =
    typeof code === 'string'
      ? TRANSIENT_CLASSES.has(code.slice(0, 2)) || TRANSIENT_STATES.has(code) || NETWORK.has(code)
      : err instanceof Error && DROPPED.test(err.message);
  return new CoreError('CORE_STORAGE', `cannot ${action} in PostgreSQL run storage ${location}: ${detail}`, { cause: err, retryable });
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Connection failures to every address of a host arrive as an AggregateError with an empty message.
  const inner = err instanceof AggregateError ? err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))) : [];
  const code = (err as { code?: unknown }).code;
  const text = err.message || inner.join('; ') || err.name;
  return typeof code === 'string' ? `${text} (${code})` : text;
}

export const closed = (location: string) => storageClosed(location);

export const newerSchema = (location: string, found: number, supported: number) =>
  new CoreError(
    'CORE_STORAGE',
    `PostgreSQL run storage ${location} has schema version ${found}, newer than the ${supported} this version of Strata supports; upgrade Strata`,
  );
