import type { Engine } from '@strata/delta';

/** One line DuckDB's CSV reader rejected, with every error it found on that line. */
export interface RejectedLine {
  readonly line: number;
  /** The line as it is in the file. */
  readonly raw: string;
  readonly errors: readonly { readonly type: string; readonly message: string; readonly column: string | null }[];
}

interface Row extends Record<string, unknown> {
  line: number;
  raw: string | null;
  types: string[];
  messages: string[];
  columns: (string | null)[];
}

/** The lines recorded in a `store_rejects` errors table (`rejects_table`), in file order. */
export async function rejectedLines(engine: Engine, errorsTable: string): Promise<RejectedLine[]> {
  const rows = await engine.query<Row>(
    `SELECT line, any_value(csv_line) AS raw,
       list(CAST(error_type AS VARCHAR) ORDER BY column_idx) AS types,
       list(error_message ORDER BY column_idx) AS messages,
       list(column_name ORDER BY column_idx) AS columns
     FROM ${errorsTable} GROUP BY line ORDER BY line`,
  );
  return rows.map((r) => ({
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
