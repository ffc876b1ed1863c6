import type { Engine } from '@strata/delta';

/** One line DuckDB's CSV reader rejected, with every error it found on that line. */
export interface RejectedLine {
  /** The file as the reader was given it. */
  readonly file: string;
  readonly line: number;
  /** The line as it is in the file. */
  readonly raw: string;
  readonly errors: readonly { readonly type: string; readonly message: string; readonly column: string | null }[];
}

interface Row extends Record<string, unknown> {
  file: string;
  line: number;
  raw: string | null;
  types: string[];
  messages: string[];
  columns: (string | null)[];
}

/**
 * The lines recorded by `store_rejects` in an errors table (`rejects_table`) and its scans table
 * (`rejects_scan`, naming the files), by file and line. Each read of the files adds its errors to
 * the tables: an error is counted once however many reads found it, and a line has the errors of
 * every read (one that read only some columns found fewer).
 */
export async function rejectedLines(engine: Engine, errorsTable: string, scansTable: string): Promise<RejectedLine[]> {
  const rows = await engine.query<Row>(
    `SELECT file, line, any_value(csv_line) AS raw,
       list(error_type ORDER BY column_idx, error_type) AS types,
       list(error_message ORDER BY column_idx, error_type) AS messages,
       list(column_name ORDER BY column_idx, error_type) AS columns
     FROM (
       SELECT DISTINCT ON (s.file_path, e.line, e.column_idx, e.error_type) s.file_path AS file, e.line, e.column_idx,
         CAST(e.error_type AS VARCHAR) AS error_type, e.error_message, e.column_name, e.csv_line
       FROM ${errorsTable} AS e JOIN ${scansTable} AS s ON e.scan_id = s.scan_id AND e.file_id = s.file_id
     ) GROUP BY file, line ORDER BY file, line`,
  );
  return rows.map((r) => ({
    file: r.file,
    line: Number(r.line),
    // A line after a CRLF line ending can come back with the '\n' it follows.
    raw: (r.raw ?? '').replace(/^[\r\n]+|[\r\n]+$/g, ''),
    errors: r.types.map((type, i) => ({ type, message: r.messages[i] ?? '', column: r.columns[i] ?? null })),
  }));
}

/** Why DuckDB's CSV reader rejected a line, in words a data steward understands. */
export function csvReason(line: RejectedLine, encoding: string): string {
  return [...new Set(line.errors.map((e) => csvErrorReason(e.type, e.message, e.column, encoding)))].join('; ');
}

function csvErrorReason(type: string, message: string, column: string | null, encoding: string): string {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  switch (type) {
    case 'TOO MANY COLUMNS':
      return counts ? `too many fields: expected ${counts[1]}, found ${counts[2]}` : `too many fields (${message})`;
    case 'MISSING COLUMNS':
      return counts ? `too few fields: expected ${counts[1]}, found ${counts[2]}` : `too few fields (${message})`;
    case 'CAST': {
      const cast = /Could not convert string "(.*)" to '(.+)'/s.exec(message);
      const name = column ?? 'a column';
      return cast ? `value "${cast[1]}" of column ${name} is not a valid ${cast[2]}` : `column ${name}: ${message}`;
    }
    case 'UNQUOTED VALUE':
      return 'a quoted value is followed by other characters before the delimiter (a stray quote?)';
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return `the line is not valid ${encoding} text`;
    case 'LINE SIZE OVER MAXIMUM':
      return `the line is longer than the maximum line size (${message})`;
    default:
      return `${type.toLowerCase()}: ${message}`;
  }
}
