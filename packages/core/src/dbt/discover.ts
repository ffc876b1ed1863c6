import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** A project file: its path relative to the project (for messages), its folders and its text. */
export interface ProjectFileEntry {
  /** Relative to the project folder, with `/` separators: `models/staging/stg_orders.sql`. */
  readonly path: string;
  readonly absolutePath: string;
  /** Folders between the resource path and the file: `['staging']`. */
  readonly folders: readonly string[];
  /** File name without its extension. */
  readonly name: string;
  readonly text: string;
}

/** Files with one of `extensions` under the given resource paths of the project, sorted by path. */
export async function discoverFiles(dir: string, resourcePaths: readonly string[], extensions: readonly string[], skipFolders: readonly string[] = []): Promise<ProjectFileEntry[]> {
  const out: ProjectFileEntry[] = [];
  for (const root of resourcePaths) {
    const base = join(dir, root);
    if (!existsSync(base)) continue;
    for (const file of await walk(base, skipFolders)) {
      const ext = extname(file);
      if (!extensions.includes(ext)) continue;
      const inside = relative(base, file).split(sep);
      out.push({
        path: relative(dir, file).split(sep).join('/'),
        absolutePath: file,
        folders: inside.slice(0, -1),
        name: (inside.at(-1) as string).slice(0, -ext.length),
        text: await readFile(file, 'utf8'),
      });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(dir: string, skipFolders: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skipFolders.includes(e.name)) out.push(...(await walk(p, skipFolders)));
    } else out.push(p);
  }
  return out;
}
