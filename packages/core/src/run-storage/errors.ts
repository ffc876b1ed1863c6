import { CoreError } from '../errors.ts';

/** The errors the run-storage contract names, shared by every implementation. */
export const runNotFound = (runId: string) => new CoreError('CORE_RUN_NOT_FOUND', `no run ${runId}`);

export const runExists = (runId: string) => new CoreError('CORE_RUN_EXISTS', `a run with id ${runId} already exists`);

export const invalidArgument = (message: string) => new CoreError('CORE_INVALID_ARGUMENT', message);

export const storageClosed = (location: string) => new CoreError('CORE_STORAGE', `run storage ${location} is closed`);
