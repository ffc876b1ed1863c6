import type { RejectedRecord } from '../source.ts';
import { bodySnippet, parseError } from './errors.ts';

/** The records of one page: objects as received, and the other array items with why they were rejected. */
export interface PageRecords {
  readonly records: Readonly<Record<string, unknown>>[];
  readonly rejected: RejectedRecord[];
  /** Items in the array, records and rejected together (what offset pagination advances by). */
  readonly count: number;
}

/** Where a page came from, for messages. */
export interface PageOrigin {
  readonly stream: string;
  /** The redacted URL. */
  readonly url: string;
}

/** Parses a response body as JSON; CONNECTOR_PARSE naming the stream and URL when it is not. */
export function parseBody(text: string, contentType: string | null, origin: PageOrigin): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const type = contentType === null ? '' : ` (content-type ${contentType})`;
    throw parseError(origin.stream, origin.url, `is not JSON${type}: ${bodySnippet(text)}`);
  }
}

/**
 * The records array of a body: at `recordsPath` (a dot path), or the body itself when no path is
 * configured. A missing path or a non-array is CONNECTOR_PARSE naming the keys present; a null
 * value at the path is an empty page. Items that are not JSON objects are rejected with their raw
 * JSON text, never dropped.
 */
export function extractRecords(body: unknown, recordsPath: string | undefined, origin: PageOrigin): PageRecords {
  const items = locateArray(body, recordsPath, origin);
  const records: Readonly<Record<string, unknown>>[] = [];
  const rejected: RejectedRecord[] = [];
  const where = new URL(origin.url);
  items.forEach((item, i) => {
    if (isObject(item)) {
      records.push(item);
      return;
    }
    rejected.push({
      raw: JSON.stringify(item),
      reason: `record ${i + 1} of the page is ${describe(item)}, not a JSON object`,
      location: `GET ${where.pathname}${where.search} #${i + 1}`,
    });
  });
  return { records, rejected, count: items.length };
}

/** The value at a dot path (`data.items`, `meta.0.next`); undefined when a step is missing. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(step)) current = current[Number(step)];
    else if (isObject(current)) current = current[step];
    else return undefined;
  }
  return current;
}

function locateArray(body: unknown, recordsPath: string | undefined, origin: PageOrigin): readonly unknown[] {
  if (recordsPath === undefined) {
    if (Array.isArray(body)) return body;
    const hint = isObject(body) ? arrayKeyHint(body) : '';
    throw parseError(origin.stream, origin.url, `is ${describe(body)}, not an array of records; set records_path${hint}`);
  }
  let current: unknown = body;
  const done: string[] = [];
  for (const step of recordsPath.split('.')) {
    const next = Array.isArray(current) && /^\d+$/.test(step) ? current[Number(step)] : isObject(current) ? current[step] : undefined;
    if (next === undefined) {
      const at = done.length === 0 ? 'the body' : done.join('.');
      throw parseError(origin.stream, origin.url, `has no ${[...done, step].join('.')} (records_path ${recordsPath}): ${at} is ${describe(current)}`);
    }
    done.push(step);
    current = next;
  }
  if (current === null) return [];
  if (!Array.isArray(current)) {
    throw parseError(origin.stream, origin.url, `has ${describe(current)} at records_path ${recordsPath}, not an array of records`);
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isObject(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 20).join(', ')}${keys.length > 20 ? ', …' : ''}`;
  }
  return `a ${typeof value}`;
}

function arrayKeyHint(body: Record<string, unknown>): string {
  const key = Object.keys(body).find((k) => Array.isArray(body[k]));
  return key === undefined ? '' : ` (records_path: ${key}?)`;
}
