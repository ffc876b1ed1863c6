import type { Engine } from '@strata/delta';
import type { LocalFile } from './client.ts';
import { causeMessage, filesError } from './errors.ts';
import { literal } from './sql.ts';
import { NO_ROWS } from './staged.ts';
import type { StagedFile } from './staged.ts';

/**
 * A Parquet file is read as it is, straight from the file (no staging: nothing can be rejected).
 * Its footer is read first, so that a file that is not Parquet fails here, naming the file.
 */
export async function stageParquet(engine: Engine, file: LocalFile, display: string): Promise<StagedFile> {
  const sql = `SELECT * FROM read_parquet(${literal(file.localPath)})`;
  let rows: number;
  try {
    const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet(${literal(file.localPath)})`);
    rows = Number(row?.n ?? 0);
  } catch (e) {
    throw filesError(`cannot read ${display} as Parquet: ${causeMessage(e, file.localPath, file.entry.path)}`, e, false);
  }
  return { data: rows > 0 ? { kind: 'sql', sql } : NO_ROWS, rejected: [], rows, release: async () => undefined };
}
