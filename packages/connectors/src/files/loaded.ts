import type { Engine } from '@strata/delta';
import type { JsonValue } from '../source.ts';
import { causeMessage, filesError } from './errors.ts';

/** State key: files that were read but gave no row, so that no row of the bronze table names them. */
const WITHOUT_ROWS = 'files_without_rows';

/**
 * Which files the stream holds already, by path and checksum. Most are found in the bronze table
 * itself (`_file_path`, `_file_checksum`); files that gave no row (empty, or every record
 * rejected) are remembered in the stream's state, so that they are not read, and their records
 * quarantined, again on every run.
 */
export class LoadedFiles {
  private constructor(
    private readonly inTable: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly withoutRows: Map<string, string>,
  ) {}

  /**
   * Reads what `existing` (SQL over the bronze table's rows, undefined before its first load) and
   * `state` hold; entries of the state for files no longer listed are forgotten.
   */
  static async read(
    engine: Engine,
    existing: string | undefined,
    state: JsonValue | undefined,
    listed: readonly string[],
  ): Promise<LoadedFiles> {
    const inTable = new Map<string, Set<string>>();
    if (existing !== undefined) {
      let rows: { p: string; c: string }[];
      try {
        rows = await engine.query<{ p: string; c: string }>(
          `SELECT DISTINCT CAST(_file_path AS VARCHAR) AS p, CAST(_file_checksum AS VARCHAR) AS c
           FROM (${existing}) AS loaded WHERE _file_path IS NOT NULL`,
        );
      } catch (e) {
        const why = causeMessage(e);
        throw filesError(`cannot tell which files were loaded already (reading _file_path, _file_checksum of the bronze table): ${why}`, e);
      }
      for (const { p, c } of rows) inTable.set(p, (inTable.get(p) ?? new Set()).add(c));
    }
    const still = new Set(listed);
    const remembered = new Map(Object.entries(fromState(state)).filter(([path]) => still.has(path)));
    return new LoadedFiles(inTable, remembered);
  }

  /** True when the file with this content was loaded already. */
  has(path: string, checksum: string): boolean {
    return this.inTable.get(path)?.has(checksum) === true || this.withoutRows.get(path) === checksum;
  }

  /**
   * Notes that a file was read into a batch, with or without rows; returns the state to commit with
   * that batch when it changed, undefined otherwise.
   */
  record(path: string, checksum: string, hasRows: boolean): JsonValue | undefined {
    if (!hasRows) {
      if (this.withoutRows.get(path) === checksum) return undefined;
      this.withoutRows.set(path, checksum);
    } else if (!this.withoutRows.delete(path)) {
      return undefined;
    }
    return { [WITHOUT_ROWS]: Object.fromEntries([...this.withoutRows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  }
}

function fromState(state: JsonValue | undefined): Record<string, string> {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return {};
  const files = (state as Record<string, JsonValue>)[WITHOUT_ROWS];
  if (files === null || typeof files !== 'object' || Array.isArray(files)) return {};
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
