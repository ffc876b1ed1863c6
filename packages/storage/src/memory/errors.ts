import { StorageError } from '../errors.ts';

export const notFound = (key: string) => new StorageError('STORAGE_NOT_FOUND', `no object at memory key ${key}`);
export const exists = (key: string) => new StorageError('STORAGE_EXISTS', `an object already exists at memory key ${key}`);
