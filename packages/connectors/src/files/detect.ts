import type { FileSourceConfig } from './config.ts';

/** How a file is read. */
export type FileFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

const BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  csv: 'csv',
  tsv: 'csv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  parquet: 'parquet',
};

/**
 * The format a file is read in: the configured one, or with `auto` the one its extension names
 * (`.gz` stripped); undefined when the extension names none.
 */
export function formatOf(path: string, configured: FileSourceConfig['format']): FileFormat | undefined {
  if (configured !== 'auto') return configured;
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.gz$/i, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
}

/**
 * Tells, from the start of a `.json` file, whether it is one JSON document (an array, an object)
 * or newline-delimited JSON: the latter when its first line is a complete JSON object followed by
 * more content. A pretty-printed document's first line (`{` or `[`) is never complete on its own.
 */
export function jsonLayout(start: string): 'json' | 'ndjson' {
  const text = start.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('{')) return 'json';
  const newline = text.indexOf('\n');
  if (newline < 0 || text.slice(newline + 1).trim() === '') return 'json';
  try {
    const first: unknown = JSON.parse(text.slice(0, newline));
    return first !== null && typeof first === 'object' && !Array.isArray(first) ? 'ndjson' : 'json';
  } catch {
    return 'json';
  }
}
