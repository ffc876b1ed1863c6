import type { ObjectStore } from '@strata/storage';

/** What a new-files sensor remembers: each file seen, by key, with its size and modification time. */
export type SeenFiles = Record<string, string>;

export interface NewFiles {
  /** Keys (relative to the watched location) that are new or changed, sorted. */
  readonly files: readonly string[];
  readonly seen: SeenFiles;
}

function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Lists the watched location and returns files that are new or changed (size or modification
 * time) since `seen`, with the updated memory. Files that disappeared are forgotten.
 */
export async function findNewFiles(store: ObjectStore, pattern: string, seen: SeenFiles): Promise<NewFiles> {
  const re = globRegExp(pattern);
  const next: SeenFiles = {};
  const files: string[] = [];
  for (const o of await store.list('')) {
    if (!re.test(o.key)) continue;
    const stamp = `${o.size}:${o.lastModified}`;
    next[o.key] = stamp;
    if (seen[o.key] !== stamp) files.push(o.key);
  }
  return { files: files.sort(), seen: next };
}
