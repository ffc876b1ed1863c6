import type { Engine } from '@strata/delta';
import type { RejectedRecord } from '../source.ts';
import type { LocalFile } from './client.ts';
import type { CsvConfig } from './config.ts';
import { dialectOptions, sniffCsv } from './csv-dialect.ts';
import type { CsvDialect } from './csv-dialect.ts';
import { causeMessage, filesError, invalidConfig } from './errors.ts';
import { csvReason, rejectedLines } from './rejects.ts';
import type { RejectedLine } from './rejects.ts';
import { literal } from './sql.ts';
import { TempTables } from './staged.ts';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

/** How a CSV file is read: the same for files read together. */
export interface CsvReading {
  /** `read_csv` options: the file's dialect (as sniffed), column names and types, encoding. */
  readonly options: readonly string[];
  /** The encoding, for messages. */
  readonly encoding: 'UTF-8' | 'Latin-1';
}

/** A CSV file sniffed and probed, to be read in place together with others. */
export interface CsvFile {
  readonly file: LocalFile;
  /** How to read it; undefined when it gives no row. */
  readonly reading?: CsvReading;
  /** Its rejected lines when it gives no row (it was then read whole), else none yet. */
  readonly rejected: readonly RejectedRecord[];
}

/**
 * Prepares a CSV file to be read in place: it is sniffed once (DuckDB finds the header and
 * delimiter unless configured), so that it is then read with the dialect found and the writer's
 * reads do not sniff it again. Values stay as received (VARCHAR) except the columns `csv.columns`
 * types. Its first row is read too (all columns, as the writer reads them): a file that gives none
 * is thereby read whole, and its rejected lines are known at once. Runs on `scout`, a session that
 * may work while another one writes.
 */
export async function prepareCsv(scout: Engine, file: LocalFile, display: string, csv: CsvConfig, log: Log): Promise<CsvFile> {
  const path = file.entry.path;
  const encoding = csv.encoding === 'auto' ? (file.utf8 === false ? 'latin-1' : 'utf-8') : csv.encoding;
  if (csv.encoding === 'auto' && encoding === 'latin-1') log('info', `${path} is not valid UTF-8: read as Latin-1`);
  const tables = new TempTables(scout);
  const errors = tables.create('csv_errors');
  const scans = tables.create('csv_scans');
  try {
    const dialect = await sniffCsv(scout, file.localPath, csvOptions(csv, encoding));
    const reading: CsvReading = {
      options: [...dialectOptions(dialect), `encoding = ${literal(encoding)}`],
      encoding: encoding === 'latin-1' ? 'Latin-1' : 'UTF-8',
    };
    const rejects = [...reading.options, 'store_rejects = true', `rejects_table = ${literal(errors.name)}`, `rejects_scan = ${literal(scans.name)}`];
    const first = await scout.query(`SELECT * FROM read_csv(${literal(file.localPath)}, ${rejects.join(', ')}) LIMIT 1`);
    if (first.length > 0) {
      warnUndeclared(dialect, csv, path, log);
      return { file, reading, rejected: [] };
    }
    const lines = await rejectedLines(scout, errors.ref, scans.ref);
    return { file, rejected: lines.map((l) => csvRejected(l, path, reading.encoding)) };
  } catch (e) {
    throw filesError(`cannot read ${display} as CSV: ${causeMessage(e, file.localPath, path)}`, e, false);
  } finally {
    await tables.dropAll();
  }
}

/**
 * A line DuckDB's CSV reader rejected (wrong number of fields, a value that does not convert to its
 * declared type, text not in the file's encoding), as a rejected record of the file at `path`: the
 * raw line, why, and `path:line` (DuckDB's line count, where a quoted value spanning several lines
 * counts once).
 */
export function csvRejected(line: RejectedLine, path: string, encoding: string): RejectedRecord {
  return { raw: line.raw, reason: csvReason(line, encoding), location: `${path}:${line.line}` };
}

/** Fails with CONNECTOR_INVALID_CONFIG when a type of `csv.columns` is not one DuckDB knows. */
export async function checkColumnTypes(engine: Engine, columns: CsvConfig['columns']): Promise<void> {
  for (const [name, type] of Object.entries(columns ?? {})) {
    try {
      // The type passed the configuration's pattern, so it can only be a type name here.
      await engine.query(`SELECT CAST(NULL AS ${type}) AS probe`);
    } catch (e) {
      throw invalidConfig(`csv.columns.${name}: ${type} is not a DuckDB type (${causeMessage(e)})`, e);
    }
  }
}

function csvOptions(csv: CsvConfig, encoding: string): string[] {
  const options = ['all_varchar = true', `encoding = ${literal(encoding)}`];
  if (csv.header !== 'auto') options.push(`header = ${csv.header}`);
  if (csv.delimiter !== 'auto') options.push(`delim = ${literal(csv.delimiter)}`);
  if (csv.quote !== undefined) options.push(`quote = ${literal(csv.quote)}`);
  if (csv.quote === '') options.push(`escape = ''`);
  if (csv.skip_rows > 0) options.push(`skip = ${csv.skip_rows}`);
  const declared = Object.entries(csv.columns ?? {});
  if (declared.length > 0) {
    // Without a header row the file has no names: the declared ones name its columns in order.
    if (csv.header === false) options.push(`names = [${declared.map(([n]) => literal(n)).join(', ')}]`);
    options.push(`types = {${declared.map(([n, t]) => `${literal(n)}: ${literal(t)}`).join(', ')}}`);
  }
  return options;
}

function warnUndeclared(dialect: CsvDialect, csv: CsvConfig, path: string, log: Log): void {
  const declared = Object.keys(csv.columns ?? {});
  if (declared.length === 0) return;
  const names = dialect.columns.map((c) => c.name);
  const present = new Set(names.map((n) => n.toLowerCase()));
  const missing = declared.filter((d) => !present.has(d.toLowerCase()));
  if (missing.length > 0) {
    log('warn', `${path} has no column ${missing.join(', ')} declared in csv.columns (its columns: ${names.join(', ')})`, { path, missing });
  }
}
