import type { Engine } from '@strata/delta';
import { checkError } from './engine-errors.ts';
import type { ScanPart } from './scan-parts.ts';

type Row = Record<string, unknown>;

const scanSql = (from: string, parts: readonly ScanPart[]) => `SELECT ${parts.flatMap((p) => p.aggregates).join(',\n  ')}\nFROM ${from}`;

/**
 * Runs every part's aggregates in one query, so one pass over the data measures all of them.
 * When the engine refuses it, the culprit is looked for part by part (first by preparing, which
 * reads nothing, then by running) so that the error names the check at fault.
 */
export async function runScan(engine: Engine, from: string, parts: readonly ScanPart[]): Promise<Row> {
  try {
    const [row] = await engine.query(scanSql(from, parts));
    return row ?? {};
  } catch (e) {
    for (const p of parts) await engine.describe(scanSql(from, [p])).catch((err: unknown) => Promise.reject(checkError([p.check.name], err)));
    for (const p of parts) await engine.query(scanSql(from, [p])).catch((err: unknown) => Promise.reject(checkError([p.check.name], err)));
    throw checkError(parts.map((p) => p.check.name), e);
  }
}
