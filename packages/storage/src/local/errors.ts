import { StorageError } from '../errors.ts';

/** Maps a Node filesystem error to a StorageError naming the path. */
export function fromFsError(err: unknown, path: string, action: string): StorageError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'ENOTDIR' && (action === 'read' || action === 'stat')) {
    // A parent of the key is an object, so nothing can be at the key itself.
    return new StorageError('STORAGE_NOT_FOUND', `no object at ${path}`, { cause: err });
  }
  switch (code) {
    case 'ENOENT':
      return new StorageError('STORAGE_NOT_FOUND', `no object at ${path}`, { cause: err });
    case 'EEXIST':
      return new StorageError('STORAGE_EXISTS', `an object already exists at ${path}`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new StorageError('STORAGE_PERMISSION_DENIED', `permission denied to ${action} ${path}`, { cause: err });
    case 'EMFILE':
    case 'ENFILE':
    case 'EAGAIN':
    case 'EBUSY':
      return new StorageError('STORAGE_UNAVAILABLE', `cannot ${action} ${path}: ${detail}`, { cause: err });
    default:
      return new StorageError('STORAGE_IO', `cannot ${action} ${path}: ${detail}`, { cause: err });
  }
}
