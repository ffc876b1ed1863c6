import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared conformance folder of tables written by Delta Lake's reference implementation. */
export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance/delta-golden');

/** Negative tables and the error code reading each must fail with (from the folder's README). */
export const NEGATIVE: Readonly<Record<string, string>> = {
  'no-delta-log-folder': 'DELTA_TABLE_NOT_FOUND',
  'deltalog-invalid-protocol-version': 'DELTA_INVALID_PROTOCOL',
  'deltalog-state-reconstruction-from-checkpoint-missing-metadata': 'DELTA_STATE_RECONSTRUCTION',
  'deltalog-state-reconstruction-without-protocol': 'DELTA_STATE_RECONSTRUCTION',
};

export function goldenTables(): { name: string; table: string; expected?: string }[] {
  if (!existsSync(GOLDEN_DIR)) throw new Error(`conformance tables not found at ${GOLDEN_DIR}`);
  return readdirSync(GOLDEN_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const expected = join(GOLDEN_DIR, d.name, 'expected');
      return {
        name: d.name,
        table: join(GOLDEN_DIR, d.name, 'delta'),
        expected: existsSync(expected) ? expected : undefined,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
