import type { Engine } from '@strata/delta';
import type { LocalFile } from './client.ts';
import type { CsvConfig } from './config.ts';
import { causeMessage, filesError, invalidConfig } from './errors.ts';
import { csvReason, rejectedLines } from './rejects.ts';
import { literal } from './sql.ts';
import { NO_ROWS, TempTables, countRows } from './staged.ts';
import type { StagedFile } from './staged.ts';

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

/**
 * Stages a CSV file into a temporary table with one DuckDB read. Values stay as received (VARCHAR)
 * except the columns `csv.columns` types; DuckDB's sniffer finds the header and delimiter unless
 * configured. Lines with the wrong number of fields, values that do not convert to their declared
 * type and text that is not in the file's encoding are rejected, with the raw line and `path:line`
 * (DuckDB's line count, where a quoted value spanning several lines counts once).
 */
export async function stageCsv(engine: Engine, file: LocalFile, display: string, csv: CsvConfig, log: Log): Promise<StagedFile> {
  const path = file.entry.path;
  const encoding = csv.encoding === 'auto' ? (file.utf8 === false ? 'latin-1' : 'utf-8') : csv.encoding;
  if (csv.encoding === 'auto' && encoding === 'latin-1') log('info', `${path} is not valid UTF-8: read as Latin-1`);
  const tables = new TempTables(engine);
  const data = tables.create('csv');
  const errors = tables.create('csv_errors');
  const scans = tables.create('csv_scans');
  const options = [
    ...csvOptions(csv, encoding),
    'store_rejects = true',
    `rejects_table = ${literal(errors.name)}`,
    `rejects_scan = ${literal(scans.name)}`,
  ];
  try {
    await engine.exec(`CREATE TEMP TABLE ${data.ref} AS SELECT * FROM read_csv(${literal(file.localPath)}, ${options.join(', ')})`);
    const rows = await countRows(engine, data.ref);
    const label = encoding === 'latin-1' ? 'Latin-1' : 'UTF-8';
    const rejected = (await rejectedLines(engine, errors.ref)).map((l) => ({
      raw: l.raw,
      reason: csvReason(l, label),
      location: `${path}:${l.line}`,
    }));
    if (rows > 0) await warnUndeclared(engine, data.ref, csv, path, log);
    return {
      data: rows > 0 ? { kind: 'sql', sql: `SELECT * FROM ${data.ref}` } : NO_ROWS,
      rejected,
      rows,
      release: () => tables.dropAll(),
    };
  } catch (e) {
    await tables.dropAll();
    throw filesError(`cannot read ${display} as CSV: ${causeMessage(e, file.localPath, path)}`, e, false);
  }
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

async function warnUndeclared(engine: Engine, ref: string, csv: CsvConfig, path: string, log: Log): Promise<void> {
  const declared = Object.keys(csv.columns ?? {});
  if (declared.length === 0) return;
  const { names } = await engine.describe(`SELECT * FROM ${ref}`);
  const present = new Set(names.map((n) => n.toLowerCase()));
  const missing = declared.filter((d) => !present.has(d.toLowerCase()));
  if (missing.length > 0) {
    log('warn', `${path} has no column ${missing.join(', ')} declared in csv.columns (its columns: ${names.join(', ')})`, { path, missing });
  }
}
