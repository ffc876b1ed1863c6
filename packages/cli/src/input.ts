import { sqlString as q } from '@strata/delta';
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { CliError } from './errors.ts';

/** The DuckDB query that reads an input file, chosen by its extension (.parquet, .csv, .json, .ndjson; .gz allowed). */
export function inputQuery(file: string): string {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError('CLI_INPUT', `input file not found: ${file}`);
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  switch (ext) {
    case '.parquet':
      return `SELECT * FROM read_parquet(${q(path)})`;
    case '.csv':
    case '.tsv':
      return `SELECT * FROM read_csv(${q(path)}, header = true)`;
    case '.json':
    case '.ndjson':
    case '.jsonl':
      return `SELECT * FROM read_json_auto(${q(path)})`;
    default:
      throw new CliError('CLI_INPUT', `cannot read ${file}: use a .parquet, .csv, .json or .ndjson file`);
  }
}
