import { ConnectorError } from '../errors.ts';

/** A table, possibly qualified by its schema (PostgreSQL) or database (MySQL). */
export interface TableName {
  readonly schema?: string;
  readonly name: string;
}

const PART = /"((?:[^"]|"")+)"|([^."]+)/y;

/**
 * Splits `schema.table` or `table`. Each part is taken as the database spells it (it is quoted
 * in SQL, so case matters); a part written in double quotes may contain a dot.
 */
export function parseTableName(text: string, where: string): TableName {
  const invalid = () => new ConnectorError('CONNECTOR_INVALID_CONFIG', `${where}: "${text}" is not a table name (expected schema.table or table)`);
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    PART.lastIndex = i;
    const m = PART.exec(text);
    if (!m) throw invalid();
    const part = m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] ?? '');
    if (part.trim() !== part || part === '') throw invalid();
    parts.push(part);
    i = PART.lastIndex;
    if (i === text.length) break;
    if (text[i] !== '.') throw invalid();
  }
  if (parts.length > 2) throw invalid();
  return parts.length === 2 ? { schema: parts[0], name: parts[1] as string } : { name: parts[0] as string };
}

/** `schema.table` quoted with `ident`. */
export function qualify(table: TableName, ident: (name: string) => string): string {
  return table.schema === undefined ? ident(table.name) : `${ident(table.schema)}.${ident(table.name)}`;
}
