import type { Engine } from '@strata/delta';
import { filesError } from './errors.ts';
import { literal } from './sql.ts';

/** How DuckDB's sniffer found a CSV file to be written: what a read needs so as not to sniff it again. */
export interface CsvDialect {
  readonly delimiter: string;
  /** '' when values are not quoted. */
  readonly quote: string;
  readonly escape: string;
  /** As DuckDB writes it: `\n`, `\r\n` (escaped). */
  readonly newLine: string;
  readonly comment: string;
  readonly skipRows: number;
  readonly header: boolean;
  /** The file's columns: names as read (from the header, generated, or configured) and types. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly dateFormat: string | null;
  readonly timestampFormat: string | null;
}

interface SniffRow extends Record<string, unknown> {
  Delimiter: string;
  Quote: string;
  Escape: string;
  NewLineDelimiter: string;
  Comment: string;
  SkipRows: number;
  HasHeader: boolean;
  Columns: { name: string; type: string }[];
  DateFormat: string | null;
  TimestampFormat: string | null;
}

/** How `sniff_csv` shows an option that is not set. */
const EMPTY = '(empty)';

/**
 * Sniffs a CSV file with the reader's options (`options`: `read_csv` options as SQL). Every bind of
 * an auto-detecting `read_csv` sniffs the file again; a read with the options `dialectOptions`
 * gives does not, and reads the rows a read with `options` would. The sniff ignores errors, as a
 * read keeping its rejects does, so that a file with bad lines is read with the same dialect.
 */
export async function sniffCsv(engine: Engine, path: string, options: readonly string[]): Promise<CsvDialect> {
  const [row] = await engine.query<SniffRow>(`SELECT * FROM sniff_csv(${literal(path)}, ${[...options, 'ignore_errors = true'].join(', ')})`);
  if (!row) throw filesError(`sniff_csv returned nothing for ${path}`);
  const unset = (v: string) => (v === EMPTY ? '' : v);
  return {
    delimiter: row.Delimiter,
    quote: unset(row.Quote),
    escape: unset(row.Escape),
    newLine: row.NewLineDelimiter,
    comment: unset(row.Comment),
    skipRows: Number(row.SkipRows),
    header: row.HasHeader,
    columns: row.Columns.map((c) => ({ name: c.name, type: c.type })),
    dateFormat: row.DateFormat,
    timestampFormat: row.TimestampFormat,
  };
}

/** `read_csv` options reading a file as `dialect` says, without sniffing it. */
export function dialectOptions(dialect: CsvDialect): string[] {
  const columns = dialect.columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
  return [
    'auto_detect = false',
    `delim = ${literal(dialect.delimiter)}`,
    `quote = ${literal(dialect.quote)}`,
    `escape = ${literal(dialect.escape)}`,
    `new_line = ${literal(dialect.newLine)}`,
    `comment = ${literal(dialect.comment)}`,
    `skip = ${dialect.skipRows}`,
    `header = ${dialect.header}`,
    `columns = {${columns}}`,
    ...(dialect.dateFormat === null ? [] : [`dateformat = ${literal(dialect.dateFormat)}`]),
    ...(dialect.timestampFormat === null ? [] : [`timestampformat = ${literal(dialect.timestampFormat)}`]),
  ];
}
