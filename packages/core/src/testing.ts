import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Writes a project's files (path → text) into a new temporary folder and returns it. `under` puts
 * the folder inside a directory of the repository instead of the OS temp folder, for projects
 * whose TypeScript files import the repository's packages (zod, apache-arrow).
 */
export function writeProject(files: Readonly<Record<string, string>>, options: { prefix?: string; under?: string } = {}): string {
  const parent = options.under ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, options.prefix ?? 'strata-project-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
