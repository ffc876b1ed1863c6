import { QualityError } from '../errors.ts';

/** QUALITY_CHECK_ERROR naming the check(s) whose SQL the engine refused. */
export function checkError(names: readonly string[], e: unknown): QualityError {
  if (e instanceof QualityError) return e;
  const who = names.length === 1 ? `check ${names[0]}` : `checks ${names.join(', ')}`;
  return new QualityError('QUALITY_CHECK_ERROR', `${who} failed in the engine: ${(e as Error).message}`, { cause: e });
}

/** Runs `fn`; an error becomes QUALITY_CHECK_ERROR naming the check. */
export async function inCheck<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw checkError([name], e);
  }
}
