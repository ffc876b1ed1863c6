import { isStorageError } from '@strata/storage';
import { DeltaError } from '../errors.ts';

/** Runs a storage call, turning storage failures into DeltaError DELTA_STORAGE (retryable as the store says). */
export async function storageCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DeltaError) throw e;
    if (isStorageError(e)) throw new DeltaError('DELTA_STORAGE', `${what}: ${e.message}`, { cause: e, retryable: e.retryable });
    throw new DeltaError('DELTA_STORAGE', `${what}: ${(e as Error).message}`, { cause: e });
  }
}
