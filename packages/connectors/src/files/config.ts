import { z } from 'zod';
import { invalidConfig } from './errors.ts';
import { globToRegExp } from './glob.ts';

const NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name of letters, digits and _ (not starting with a digit)');
/** A dot path into a JSON document, e.g. `data` or `data.items`. */
const DOT_PATH = z.string().regex(/^[^.]+(\.[^.]+)*$/, 'a dot path such as data or data.items');
/** A DuckDB type name; checked against the engine before the first file is read. */
const COLUMN_TYPE = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/,
    'a DuckDB type such as VARCHAR, BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP or DECIMAL(12,2)',
  );
const GLOB = z
  .string()
  .min(1, 'a glob pattern such as **/*.csv')
  .superRefine((pattern, ctx) => {
    try {
      globToRegExp(pattern);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

export const FILE_FORMATS = ['auto', 'csv', 'json', 'ndjson', 'parquet'] as const;
export const CSV_ENCODINGS = ['auto', 'utf-8', 'latin-1'] as const;

const CsvSchema = z
  .object({
    /** Whether the first row holds the column names; `auto`: DuckDB's sniffer decides. */
    header: z.union([z.literal('auto'), z.boolean()], { error: 'auto, true or false' }).default('auto'),
    /** The field separator (1 to 4 characters, e.g. `;` or a tab); `auto`: detected. */
    delimiter: z.string().min(1, 'a delimiter such as , or ; (or auto)').max(4, 'a delimiter of at most 4 characters').default('auto'),
    /** The quote character, or '' when values are never quoted; detected when left out. */
    quote: z.string().max(1, 'a single quote character such as " (or \'\' for none)').optional(),
    /** `auto`: UTF-8, or Latin-1 when the bytes are not valid UTF-8. */
    encoding: z.enum(CSV_ENCODINGS, { error: `one of ${CSV_ENCODINGS.join(', ')}` }).default('auto'),
    /** Lines to skip before the header (a title, a blank line…). */
    skip_rows: z.number().int().min(0).default(0),
    /**
     * Column name → DuckDB type for the columns to type; the others stay VARCHAR. Values that do not
     * convert are rejected rows. With `header: false` the names also name the file's columns, in order.
     */
    columns: z.record(z.string().min(1), COLUMN_TYPE).optional(),
  })
  .strict();

const JsonSchema = z
  .object({
    /** Where the records array is when a JSON file is an object, e.g. `data.items`. */
    records_path: DOT_PATH.optional(),
  })
  .strict();

/** The file source configuration, as data stewards write it in YAML: the single source of its validation messages and JSON Schema. */
export const FileSourceConfigSchema = z
  .object({
    /** The one stream of the source: its bronze table. */
    stream: NAME,
    /** A local folder (relative to the project) or an `s3://bucket/prefix`. */
    location: z.string().min(1, 'a folder such as ./landing/communes or s3://bucket/prefix'),
    /** Patterns of the files to load, relative to `location`; default every file. */
    glob: z
      .union([GLOB, z.array(GLOB).min(1, 'at least one pattern')])
      .default('**')
      .transform((g) => (typeof g === 'string' ? [g] : g)),
    /** `auto`: by extension (`.csv`, `.tsv`, `.json`, `.ndjson`, `.jsonl`, `.parquet`; `.gz` stripped). */
    format: z.enum(FILE_FORMATS, { error: `one of ${FILE_FORMATS.join(', ')}` }).default('auto'),
    csv: CsvSchema.prefault({}),
    json: JsonSchema.prefault({}),
  })
  .strict();

/** A validated configuration, with defaults applied. */
export type FileSourceConfig = z.infer<typeof FileSourceConfigSchema>;
/** A configuration as written (defaults may be left out). */
export type FileSourceConfigInput = z.input<typeof FileSourceConfigSchema>;
export type CsvConfig = FileSourceConfig['csv'];
export type JsonConfig = FileSourceConfig['json'];

/** Validates a configuration; fails with CONNECTOR_INVALID_CONFIG naming each wrong field. */
export function parseFileSourceConfig(input: unknown): FileSourceConfig {
  const result = FileSourceConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'configuration'}: ${i.message}`);
  throw invalidConfig(`invalid file source configuration: ${problems.join('; ')}`, result.error);
}
