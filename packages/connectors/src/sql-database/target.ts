import type { ConnectorError } from '../errors.ts';
import type { TableName } from './table-name.ts';

/** A relation column as it is written to the target. */
export interface TargetColumn {
  readonly name: string;
  /** The column's type in the relation (DuckDB). */
  readonly duckdbType: string;
  /** The column's type in the target, as its DDL and its catalog write it (`numeric(12,2)`). */
  readonly targetType: string;
  /** DuckDB SQL rendering the (quoted) relation column as the text the target parses, or NULL. */
  render(column: string): string;
  /** The statement's placeholder for parameter `index` (1-based), with the conversion the target needs. */
  placeholder(index: number): string;
}

/** A table that exists in the target. */
export interface ExistingTable {
  /** Column name → type, as the catalog writes it. */
  readonly columns: ReadonlyMap<string, string>;
  /** The column lists of its unique indexes (primary key included) usable as upsert keys. */
  readonly uniqueKeys: readonly (readonly string[])[];
}

/** One connection to the target database. */
export interface TargetSession {
  /** The table with its schema (or database) filled in from the connection's default. */
  qualified(table: TableName): TableName;
  /** The table's columns and unique keys; undefined when there is no such table. */
  describe(table: TableName): Promise<ExistingTable | undefined>;
  run(sql: string, params?: readonly (string | null)[]): Promise<void>;
  count(table: TableName): Promise<number>;
  close(): Promise<void>;
}

/** What a database provides to the shared export. */
export interface TargetDialect {
  /** `postgres://user@host:5432/db` (never the password). */
  readonly location: string;
  readonly maxIdentifierBytes: number;
  /** Parameters per statement at most. */
  readonly maxParameters: number;
  /** Whether DDL is transactional (PostgreSQL) or commits on its own (MySQL). */
  readonly transactionalDdl: boolean;
  ident(name: string): string;
  /** The form of a column name under which the database tells names apart (MySQL ignores case). */
  foldName(name: string): string;
  /** The target column for a relation column; undefined when its type has no mapping. */
  column(name: string, duckdbType: string, key: boolean): TargetColumn | undefined;
  /** Whether an existing column of type `existingType` takes the column's values unchanged. */
  compatible(existingType: string, column: TargetColumn): boolean;
  /** Statements creating `table` (quoted) with `columns` and, when given, a unique index on `keys`. */
  createTable(table: TableName, columns: readonly TargetColumn[], keys: readonly string[]): string[];
  /** A statement creating `stage` with the definition of `table` (columns, defaults, indexes). */
  createLike(stage: TableName, table: TableName): string;
  /** A multi-row INSERT of `rows` rows (an upsert on `upsertKeys` when given). */
  insert(table: TableName, columns: readonly TargetColumn[], rows: number, upsertKeys?: readonly string[]): string;
  /** Statements putting `stage` in the place of `table` atomically, the current table becoming `old` (when there is one). */
  swap(table: TableName, stage: TableName, old: TableName | undefined): string[];
  connect(): Promise<TargetSession>;
  /** Turns a driver failure into a ConnectorError that says where it happened. */
  error(e: unknown, where: string): ConnectorError;
}
