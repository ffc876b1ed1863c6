import { CoreError } from '../errors.ts';

/**
 * Runs user code (a compute function, a resource factory) so that what it throws is reported as
 * a user error, with the asset and the user's stack, apart from platform errors.
 */
export async function userCode<T>(assetKey: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CoreError && e.code === 'CORE_CANCELED') throw e;
    const err = e instanceof Error ? e : new Error(String(e));
    throw new CoreError('CORE_USER_CODE', `${assetKey}: ${what} threw: ${err.message}`, { cause: err, userStack: err.stack });
  }
}

/** Whether an error came from user code (else it is the platform's). */
export function isUserError(e: unknown): boolean {
  return e instanceof CoreError && e.code === 'CORE_USER_CODE';
}
