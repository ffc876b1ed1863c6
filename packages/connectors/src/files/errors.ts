import { ConnectorError } from '../errors.ts';
import { isStorageError } from '@strata/storage';

const MAX_MESSAGE = 2000;

/**
 * CONNECTOR_FILES: listing or reading files failed. Retryable as the storage backend says, or as
 * given (`false` for a file the engine cannot understand: reading it again will not help).
 */
export function filesError(message: string, cause?: unknown, retryable = isStorageError(cause) ? cause.retryable : undefined): ConnectorError {
  return new ConnectorError('CONNECTOR_FILES', message, {
    ...(cause === undefined ? {} : { cause }),
    ...(retryable === undefined ? {} : { retryable }),
  });
}

/** CONNECTOR_INVALID_CONFIG: the message names the offending field. */
export function invalidConfig(message: string, cause?: unknown): ConnectorError {
  return new ConnectorError('CONNECTOR_INVALID_CONFIG', message, cause === undefined ? undefined : { cause });
}

/**
 * The message of an engine or storage failure, without the engine's SQL echo and with the local
 * path of a file replaced by the name the user knows it by.
 */
export function causeMessage(e: unknown, localPath?: string, path?: string): string {
  // The engine wraps DuckDB's error and appends the statement; the wrapped error is the useful part.
  const inner = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  let text = inner instanceof Error ? inner.message : String(inner);
  if (localPath !== undefined && path !== undefined) text = text.replaceAll(localPath, path);
  // DuckDB quotes the statement (`LINE 1: SELECT …`) after binder errors: the statement is ours, not the user's.
  text = text.replace(/\n+LINE \d+:[\s\S]*$/, '').trim();
  // A CSV error quotes the offending line, which can be megabytes long.
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
