import { CoreError } from '../errors.ts';
import { MemoryRunStorage } from './memory/index.ts';
import { PostgresRunStorage } from './postgres/index.ts';
import { SqliteRunStorage } from './sqlite/index.ts';
import type { RunStorage } from './types.ts';

/**
 * Opens the run storage a URL names, creating or migrating its schema:
 * - `sqlite:<path>` (also `sqlite:///abs/path`, `sqlite::memory:`), or a plain file path ending in
 *   `.db`, `.sqlite` or `.sqlite3` → SqliteRunStorage;
 * - `postgres://…` or `postgresql://…` → PostgresRunStorage; a `schema` query parameter picks the
 *   schema (default `strata`) and is not passed to the server;
 * - `memory:` or `memory:<name>` → a new, empty MemoryRunStorage.
 * Anything else fails with CORE_INVALID_CONFIG naming the value.
 */
export async function openRunStorage(url: string): Promise<RunStorage> {
  if (/^postgres(ql)?:\/\//i.test(url)) return PostgresRunStorage.open(postgresConfig(url));
  if (/^sqlite:/i.test(url)) return new SqliteRunStorage({ path: sqlitePath(url) });
  if (/^memory:/i.test(url)) {
    const name = url.slice('memory:'.length);
    return new MemoryRunStorage(name === '' ? {} : { name });
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && /\.(db|sqlite|sqlite3)$/i.test(url)) return new SqliteRunStorage({ path: url });
  throw invalid(url, 'use sqlite:<path>, a .db or .sqlite file, postgres://… or memory:');
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest.startsWith('//')) {
    // URL form: only an empty host (sqlite:///abs/path) names a local file.
    if (!rest.startsWith('///')) throw invalid(url, 'a SQLite URL has no host: use sqlite:///absolute/path or sqlite:relative/path');
    return rest.slice(2);
  }
  if (rest === '') throw invalid(url, 'missing database path (sqlite:<path>)');
  return rest;
}

function postgresConfig(url: string): { connectionString: string; schema?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw invalid(url.replace(/:[^:@/]*@/, ':***@'), 'not a valid URL', e);
  }
  const schema = parsed.searchParams.get('schema');
  if (schema === null) return { connectionString: url };
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.href, schema };
}

function invalid(url: string, reason: string, cause?: unknown): CoreError {
  return new CoreError('CORE_INVALID_CONFIG', `invalid run storage URL "${url}": ${reason}`, { cause });
}
