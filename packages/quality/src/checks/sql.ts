/** Quotes an SQL identifier for DuckDB. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string as an SQL literal. */
export function str(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const QUERY_START = /^\s*(select|with|from|values|pivot|unpivot)\b/i;

/**
 * The relation as a FROM item. A relation is a table or view name (`silver.bookings`), a table
 * function call (`read_parquet([...])`) or a query; a query is put in parentheses.
 */
export function fromItem(relationSql: string): string {
  return QUERY_START.test(relationSql) ? `(${relationSql})` : relationSql.trim();
}

/** Replaces every `{{ relation }}` in a check's SQL by the relation as a FROM item. */
export function withRelation(sql: string, relationSql: string): string {
  return sql.replace(/\{\{\s*relation\s*\}\}/g, () => fromItem(relationSql));
}
