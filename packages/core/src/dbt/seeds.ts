import type { ResolvedAsset } from '../definitions/asset.ts';
import { CoreError } from '../errors.ts';
import type { DbtConfig } from './config.ts';
import { sqlIdent as ident } from '@strata/delta';

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** How one seed column is typed: inferred like dbt's agate type tester, or given by `column_types`. */
export type SeedColumnType = 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN' | 'VARCHAR' | { readonly given: string };

/** The CSV as DuckDB reads it: every field as text, fields that are empty or `null` as NULL. */
export function seedSource(path: string, delimiter = ','): string {
  return `read_csv(${lit(path)}, header = true, all_varchar = true, delim = ${lit(delimiter)}, quote = '"', escape = '"')`;
}

/** A field as agate sees it: NULL when it is empty or `null` (any case, around spaces). */
const value = (column: string) => `CASE WHEN lower(trim(${ident(column)})) IN ('', 'null') THEN NULL ELSE ${ident(column)} END`;

const NUMBER = `'[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?'`;
const ISO_DATETIME = `'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?'`;

/**
 * One query computing, for every column, which types all its non-null values parse as, in the
 * order of dbt's type tester (number, date, datetime, ISO datetime, boolean, text).
 */
export function inferenceSql(source: string, columns: readonly string[]): string {
  const checks = columns.flatMap((c, i) => {
    const v = `trim(${value(c)})`;
    const all = (test: string) => `coalesce(bool_and(${v} IS NULL OR (${test})), true)`;
    return [
      `${all(`regexp_full_match(${v}, ${NUMBER})`)} AS n${i}`,
      `coalesce(bool_or(regexp_matches(${v}, '\\.[0-9]|[eE]')), false) AS d${i}`,
      `coalesce(max(abs(try_cast(${v} AS HUGEINT))) <= 2147483647, true) AS s${i}`,
      `${all(`regexp_full_match(${v}, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') AND try_strptime(${v}, '%Y-%m-%d') IS NOT NULL`)} AS a${i}`,
      `${all(`try_strptime(${v}, '%Y-%m-%d %H:%M:%S') IS NOT NULL`)} AS t${i}`,
      `${all(`regexp_full_match(${v}, ${ISO_DATETIME}) AND try_cast(${v} AS TIMESTAMP) IS NOT NULL`)} AS o${i}`,
      `${all(`lower(${v}) IN ('true', 'false')`)} AS b${i}`,
    ];
  });
  return `SELECT ${checks.join(', ')} FROM ${source}`;
}

/**
 * The type of column `i` from the inference row, as dbt's seed loader picks it: a number is an
 * integer unless a value has decimals (then a double); a column of only empty values is an
 * integer. Integers that do not fit 32 bits become BIGINT (dbt would fail to load them).
 */
export function inferredType(row: Readonly<Record<string, unknown>>, i: number): SeedColumnType {
  if (row[`n${i}`] === true) return row[`d${i}`] === true ? 'DOUBLE' : row[`s${i}`] === true ? 'INTEGER' : 'BIGINT';
  if (row[`a${i}`] === true) return 'DATE';
  if (row[`t${i}`] === true || row[`o${i}`] === true) return 'TIMESTAMP';
  if (row[`b${i}`] === true) return 'BOOLEAN';
  return 'VARCHAR';
}

/** The SQL that loads the seed with its column types. */
export function seedSql(source: string, columns: readonly { name: string; type: SeedColumnType }[]): string {
  if (columns.length === 0) throw new CoreError('CORE_INVALID_DEFINITION', 'a seed needs a header row');
  const select = columns.map(({ name, type }) => {
    const v = value(name);
    const t = `trim(${v})`;
    let expr: string;
    if (typeof type === 'object') expr = `CAST(${v} AS ${type.given})`;
    else if (type === 'VARCHAR') expr = v;
    else if (type === 'BOOLEAN') expr = `lower(${t}) = 'true'`;
    else if (type === 'DATE') expr = `CAST(strptime(${t}, '%Y-%m-%d') AS DATE)`;
    else expr = `CAST(${t} AS ${type})`;
    return `${expr} AS ${ident(name)}`;
  });
  return `SELECT ${select.join(', ')} FROM ${source}`;
}

/**
 * The compute of a seed asset: reads the CSV's header, infers the types of the columns that
 * `column_types` does not give, and loads the file with them.
 */
export function seedCompute(path: string, config: DbtConfig, file: string): ResolvedAsset['compute'] {
  return async (ctx) => {
    const delimiter = config.delimiter === undefined ? ',' : String(config.delimiter);
    const source = seedSource(path, delimiter);
    const given = columnTypes(config.column_types, file);
    const columns = (await ctx.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map((r) => r.column_name);
    const toInfer = columns.filter((c) => given[c] === undefined);
    const [row] = toInfer.length > 0 ? await ctx.query(inferenceSql(source, toInfer)) : [];
    const typed = columns.map((name) => {
      const g = given[name];
      return { name, type: g === undefined ? inferredType(row ?? {}, toInfer.indexOf(name)) : { given: g } };
    });
    const shown = Object.fromEntries(typed.map((c) => [c.name, typeof c.type === 'string' ? c.type : c.type.given]));
    return { sql: seedSql(source, typed), metadata: { column_types: shown } };
  };
}

function columnTypes(value: unknown, file: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new CoreError('CORE_INVALID_DEFINITION', `${file}: column_types must map column names to SQL types`);
  }
  return value as Record<string, string>;
}
