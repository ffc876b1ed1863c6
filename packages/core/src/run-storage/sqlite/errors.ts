import { CoreError } from '../../errors.ts';
import { storageClosed } from '../errors.ts';

// Another connection holds a lock: the same call may succeed later.
const TRANSIENT = /^SQLITE_(BUSY|LOCKED)/;

/** Maps an error thrown by better-sqlite3 to CORE_STORAGE naming the database; contract errors pass through. */
export function fromSqliteError(err: unknown, path: string, action: string): CoreError {
  if (err instanceof CoreError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  const retryable = typeof code === 'string' && TRANSIENT.test(code);
  return new CoreError('CORE_STORAGE', `cannot ${action} in SQLite run storage ${path}: ${detail}${typeof code === 'string' ? ` (${code})` : ''}`, {
    cause: err,
    retryable,
  });
}

export const closed = (path: string) => storageClosed(`sqlite:${path}`);

export const newerSchema = (path: string, found: number, supported: number) =>
  new CoreError(
    'CORE_STORAGE',
    `SQLite run storage ${path} has schema version ${found}, newer than the ${supported} this version of Strata supports; upgrade Strata`,
  );
