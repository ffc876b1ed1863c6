import { randomBytes } from 'node:crypto';
import type { ExportInput, ExportOptions, ExportResult } from '../destination.ts';
import { ConnectorError } from '../errors.ts';
import { messageOf, throwIfAborted } from './errors.ts';
import { ByteRateLimiter } from './rate-limit.ts';
import { StagedRelation } from './relation.ts';
import { duckdbIdent } from './duckdb-types.ts';
import { parseTableName, qualify } from './table-name.ts';
import type { TableName } from './table-name.ts';
import type { ExistingTable, TargetColumn, TargetDialect, TargetSession } from './target.ts';

export interface ExportDefaults {
  readonly maxBytesPerSecond?: number;
  readonly batchRows?: number;
}

const DEFAULT_BATCH_ROWS = 1000;
/** A statement is cut past this many bytes of parameters, well under MySQL's max_allowed_packet (4 MiB or more). */
const MAX_STATEMENT_BYTES = 2 * 1024 * 1024;

/**
 * Exports a relation of the DuckDB session into a table of the target (see `Destination`).
 * `replace` loads a staging table created like the target and swaps it in place in one atomic step
 * after counting its rows; `upsert` writes in one transaction. DDL that cannot run in a
 * transaction (MySQL) runs before the data is written.
 */
export async function exportRelation(dialect: TargetDialect, input: ExportInput, options: ExportOptions, defaults: ExportDefaults = {}): Promise<ExportResult> {
  const where = `${dialect.location}, table ${options.table}`;
  const invalid = (message: string) => new ConnectorError('CONNECTOR_INVALID_CONFIG', `${where}: ${message}`);
  if (options.mode !== 'replace' && options.mode !== 'upsert') throw invalid(`mode must be replace or upsert, not ${String(options.mode)}`);
  const keys = options.keys ?? [];
  if (options.mode === 'upsert' && keys.length === 0) throw invalid('upsert needs keys: the columns that identify a row');
  const batchRows = options.batchRows ?? defaults.batchRows ?? DEFAULT_BATCH_ROWS;
  const rate = options.maxBytesPerSecond ?? defaults.maxBytesPerSecond;
  if (!Number.isInteger(batchRows) || batchRows <= 0) throw invalid(`batchRows must be a positive integer, not ${batchRows}`);
  if (rate !== undefined && !(rate > 0)) throw invalid(`maxBytesPerSecond must be positive, not ${rate}`);
  const name = parseTableName(options.table, where);
  checkIdentifier(dialect, name.name, where);
  throwIfAborted(input.signal, where);

  const relation = await StagedRelation.create(input.engine, input.sql, where);
  try {
    const columns = planColumns(dialect, relation.columns, keys, where);
    if (keys.length > 0) {
      await checkKeys(relation, keys, where).catch((e: unknown) => {
        throw e instanceof ConnectorError ? e : new ConnectorError('CONNECTOR_EXPORT', `${where}: the keys (${keys.join(', ')}) cannot be checked: ${messageOf(e)}`, { cause: e });
      });
    }
    const session = await dialect.connect().catch((e: unknown) => {
      throw dialect.error(e, where);
    });
    try {
      const exporter = new Exporter(dialect, session, relation, input, where, columns, keys, batchRows, rate);
      const result = options.mode === 'replace' ? await exporter.replace(session.qualified(name)) : await exporter.upsert(session.qualified(name));
      input.log('info', `exported ${result.rowsWritten} rows to ${options.table} (${options.mode})`, { ...result });
      return result;
    } catch (e) {
      throw e instanceof ConnectorError ? e : dialect.error(e, where);
    } finally {
      await session.close().catch(() => undefined);
    }
  } finally {
    await relation.drop().catch(() => undefined);
  }
}

function checkIdentifier(dialect: TargetDialect, name: string, where: string): void {
  if (Buffer.byteLength(name) > dialect.maxIdentifierBytes) {
    throw new ConnectorError('CONNECTOR_EXPORT', `${where}: the name ${name} is longer than the database's ${dialect.maxIdentifierBytes} bytes`);
  }
}

function planColumns(dialect: TargetDialect, relation: readonly { name: string; type: string }[], keys: readonly string[], where: string): TargetColumn[] {
  for (const key of keys) {
    if (!relation.some((c) => c.name === key)) {
      throw new ConnectorError('CONNECTOR_EXPORT', `${where}: key column ${key} is not a column of the relation (it has ${relation.map((c) => c.name).join(', ')})`);
    }
  }
  const unmapped = relation.filter((c) => !dialect.column(c.name, c.type, keys.includes(c.name)));
  if (unmapped.length > 0) {
    throw new ConnectorError('CONNECTOR_EXPORT', `${where}: no column type for ${unmapped.map((c) => `column ${c.name} (${c.type})`).join(', ')}; cast it in the relation`);
  }
  const columns = relation.map((c) => dialect.column(c.name, c.type, keys.includes(c.name)) as TargetColumn);
  for (const c of columns) checkIdentifier(dialect, c.name, where);
  return columns;
}

async function checkKeys(relation: StagedRelation, keys: readonly string[], where: string): Promise<void> {
  const nulls = await relation.nullKeys(keys);
  if (nulls > 0) throw new ConnectorError('CONNECTOR_EXPORT', `${where}: ${nulls} rows of the relation have a NULL key (${keys.join(', ')})`);
  const duplicate = await relation.duplicateKey(keys);
  if (duplicate) {
    const key = keys.map((k) => `${k}=${String(duplicate[k])}`).join(', ');
    throw new ConnectorError('CONNECTOR_EXPORT', `${where}: the key (${keys.join(', ')}) is not unique in the relation: ${String(duplicate.strata_duplicates)} rows have ${key}`);
  }
}

/** A name for a table next to `table`, with a random suffix, within the identifier length. */
function besideName(dialect: TargetDialect, table: TableName, role: string): TableName {
  const suffix = `__${role}_${randomBytes(4).toString('hex')}`;
  let base = table.name;
  while (Buffer.byteLength(base + suffix) > dialect.maxIdentifierBytes) base = base.slice(0, -1);
  return { ...table, name: base + suffix };
}

class Exporter {
  private bytesSent = 0;

  constructor(
    private readonly dialect: TargetDialect,
    private readonly session: TargetSession,
    private readonly relation: StagedRelation,
    private readonly input: ExportInput,
    private readonly where: string,
    private readonly columns: readonly TargetColumn[],
    private readonly keys: readonly string[],
    private readonly batchRows: number,
    private readonly rate: number | undefined,
  ) {}

  async replace(table: TableName): Promise<ExportResult> {
    const { dialect, session } = this;
    const existing = await session.describe(table);
    const added = this.migration(existing);
    const stage = besideName(dialect, table, 'stage');
    const old = existing ? besideName(dialect, table, 'old') : undefined;
    const q = (t: TableName) => qualify(t, (n) => dialect.ident(n));
    if (dialect.transactionalDdl) await session.run('BEGIN');
    try {
      if (existing) {
        await session.run(dialect.createLike(stage, table));
        if (added.length > 0) await session.run(this.addColumns(stage, added));
      } else {
        for (const sql of dialect.createTable(stage, this.columns, this.keys)) await session.run(sql);
      }
      await this.send(stage);
      const count = await session.count(stage);
      if (count !== this.relation.rowCount) {
        throw new ConnectorError('CONNECTOR_EXPORT', `${this.where}: the staging table holds ${count} rows but the relation has ${this.relation.rowCount}; the table was left as it was`);
      }
      throwIfAborted(this.input.signal, this.where);
      for (const sql of dialect.swap(table, stage, old)) await session.run(sql);
      if (dialect.transactionalDdl) {
        if (old) await session.run(`DROP TABLE ${q(old)}`);
        await session.run('COMMIT');
      }
    } catch (e) {
      if (dialect.transactionalDdl) await session.run('ROLLBACK').catch(() => undefined);
      else await session.run(`DROP TABLE IF EXISTS ${q(stage)}`).catch(() => undefined);
      throw e;
    }
    if (!dialect.transactionalDdl && old) {
      // The swap is done: a failure to drop the previous rows only leaves them beside the table.
      await session.run(`DROP TABLE ${q(old)}`).catch((e: unknown) => {
        this.input.log('warn', `${this.where}: the previous table ${q(old)} could not be dropped: ${(e as Error).message}`);
      });
    }
    return this.result(!existing, added);
  }

  async upsert(table: TableName): Promise<ExportResult> {
    const { dialect, session } = this;
    const existing = await session.describe(table);
    const added = this.migration(existing);
    if (existing) {
      const wanted = new Set(this.keys.map((k) => dialect.foldName(k)));
      const matches = existing.uniqueKeys.some((key) => key.length === wanted.size && key.every((c) => wanted.has(dialect.foldName(c))));
      if (!matches) {
        throw new ConnectorError(
          'CONNECTOR_EXPORT',
          `${this.where}: upsert needs a unique index on exactly (${this.keys.join(', ')}), and the table has none; create one or choose those keys`,
        );
      }
    }
    if (dialect.transactionalDdl) await session.run('BEGIN');
    try {
      if (!existing) for (const sql of dialect.createTable(table, this.columns, this.keys)) await session.run(sql);
      else if (added.length > 0) await session.run(this.addColumns(table, added));
      if (!dialect.transactionalDdl) await session.run('BEGIN');
      await this.send(table, this.keys);
      throwIfAborted(this.input.signal, this.where);
      await session.run('COMMIT');
    } catch (e) {
      await session.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return this.result(!existing, added);
  }

  /** The relation's columns the table lacks; fails when a column it has would change type. */
  private migration(existing: ExistingTable | undefined): TargetColumn[] {
    if (!existing) return [];
    const types = new Map([...existing.columns].map(([name, type]) => [this.dialect.foldName(name), type]));
    const changed = this.columns.filter((c) => {
      const type = types.get(this.dialect.foldName(c.name));
      return type !== undefined && !this.dialect.compatible(type, c);
    });
    if (changed.length > 0) {
      const list = changed.map((c) => `column ${c.name} is ${types.get(this.dialect.foldName(c.name))} in the table but ${c.duckdbType} (${c.targetType}) in the relation`);
      throw new ConnectorError('CONNECTOR_EXPORT', `${this.where}: ${list.join('; ')}; column types are never changed by an export: change the table or cast the column`);
    }
    return this.columns.filter((c) => !types.has(this.dialect.foldName(c.name)));
  }

  private addColumns(table: TableName, added: readonly TargetColumn[]): string {
    const q = qualify(table, (n) => this.dialect.ident(n));
    return `ALTER TABLE ${q} ${added.map((c) => `ADD COLUMN ${this.dialect.ident(c.name)} ${c.targetType}`).join(', ')}`;
  }

  /** Sends the relation's rows in multi-row statements, within the parameter, size and rate limits. */
  private async send(table: TableName, upsertKeys?: readonly string[]): Promise<void> {
    const { dialect, columns } = this;
    const limiter = new ByteRateLimiter(this.rate);
    const perStatement = Math.max(1, Math.min(this.batchRows, Math.floor(dialect.maxParameters / columns.length)));
    const expressions = columns.map((c) => c.render(duckdbIdent(c.name)));
    let rowsSent = 0;
    for await (const batch of this.relation.batches(expressions, this.batchRows)) {
      for (let i = 0; i < batch.length; ) {
        const params: (string | null)[] = [];
        let bytes = 0;
        let rows = 0;
        while (i < batch.length && rows < perStatement && bytes < MAX_STATEMENT_BYTES) {
          for (const value of batch[i++] as (string | null)[]) {
            params.push(value);
            if (value !== null) bytes += Buffer.byteLength(value);
          }
          rows++;
        }
        await limiter.wait(this.input.signal, this.where);
        await this.session.run(dialect.insert(table, columns, rows, upsertKeys), params);
        limiter.record(bytes);
        this.bytesSent += bytes;
        rowsSent += rows;
      }
      this.input.log('debug', `${this.where}: sent ${rowsSent} of ${this.relation.rowCount} rows`, { bytes: this.bytesSent });
    }
    if (rowsSent !== this.relation.rowCount) {
      throw new ConnectorError('CONNECTOR_EXPORT', `${this.where}: read ${rowsSent} rows of the relation but it has ${this.relation.rowCount}`);
    }
  }

  private result(created: boolean, added: readonly TargetColumn[]): ExportResult {
    return { rowsWritten: this.relation.rowCount, bytesSent: this.bytesSent, created, migrated: added.map((c) => c.name) };
  }
}
