import type { Connection as MysqlConnection, FieldPacket } from 'mysql2';
import type { ColumnSpec, Source } from '../source.ts';
import { connectionDatabase, parseConfig } from '../sql-database/config.ts';
import type { ChunkQuery, KeysetDialect } from '../sql-database/keyset.ts';
import { rowChunk } from '../sql-database/session.ts';
import type { RowChunk, SourceSession } from '../sql-database/session.ts';
import { sqlSource } from '../sql-database/sql-source.ts';
import { connectMysql, quoteIdent, RAW_BYTES } from './client.ts';
import { MysqlSourceConfigSchema, mysqlLocation } from './config.ts';
import type { MysqlSourceConfig } from './config.ts';
import { mysqlError } from './errors.ts';
import { mysqlColumnRead } from './source-types.ts';
import type { MysqlColumnRead } from './source-types.ts';

/**
 * A source reading MySQL or MariaDB tables and queries into typed batches, in chunks (keyset
 * pagination, or a streaming query for streams with neither cursor nor primary key), with
 * exactly-once states: each batch carries the position after its chunk (see `readStream`).
 * Types follow `MYSQL_READ_TYPES`. Failures are CONNECTOR_DATABASE errors naming the server,
 * database and stream, retryable when the connection failed.
 */
export function mysqlSource(input: MysqlSourceConfig): Source {
  const config = parseConfig(MysqlSourceConfigSchema, input, 'mysql source');
  return sqlSource(config.name ?? `mysql:${connectionDatabase(config.connection)}`, config, {
    location: mysqlLocation(config.connection),
    ident: quoteIdent,
    open: async () => new MysqlSession(await connectMysql(config.connection)),
    error: mysqlError,
  });
}

type RawRow = (Buffer | null)[];

class MysqlSession implements SourceSession {
  private columns: readonly ColumnSpec[] = [];
  private reads: readonly MysqlColumnRead[] = [];
  private readonly placeholders = new Map<string, string>();
  private broken = false;
  readonly dialect: KeysetDialect = {
    ident: quoteIdent,
    placeholder: (_index, column) => this.placeholders.get(column) ?? '?',
    rowComparison: false,
  };

  constructor(private readonly conn: MysqlConnection) {}

  async describe(from: string): Promise<readonly ColumnSpec[]> {
    const [, fields] = await this.conn.promise().query({ sql: `SELECT * FROM ${from} LIMIT 0`, rowsAsArray: true, typeCast: RAW_BYTES });
    const list = fields as FieldPacket[];
    this.reads = list.map((f) =>
      mysqlColumnRead({
        columnType: f.columnType ?? f.type ?? 0,
        flags: typeof f.flags === 'number' ? f.flags : 0,
        characterSet: f.characterSet ?? 0,
        columnLength: f.columnLength ?? 0,
        decimals: f.decimals,
        ...(f.extendedTypeName !== undefined && { extendedTypeName: f.extendedTypeName }),
      }),
    );
    this.columns = list.map((f, i) => ({ name: f.name, type: (this.reads[i] as MysqlColumnRead).type }));
    this.placeholders.clear();
    this.columns.forEach((c, i) => this.placeholders.set(c.name, (this.reads[i] as MysqlColumnRead).placeholder));
    return this.columns;
  }

  async query(query: ChunkQuery): Promise<RowChunk> {
    const [rows] = await this.conn.promise().query({ sql: query.sql, values: [...query.params], rowsAsArray: true, typeCast: RAW_BYTES });
    return this.chunk(rows as unknown as RawRow[]);
  }

  async *stream(sql: string, chunkSize: number): AsyncGenerator<RowChunk> {
    const rows = this.conn.query({ sql, rowsAsArray: true, typeCast: RAW_BYTES }).stream({ highWaterMark: chunkSize });
    let done = false;
    try {
      let buffer: RawRow[] = [];
      for await (const row of rows) {
        buffer.push(row as RawRow);
        if (buffer.length === chunkSize) {
          yield this.chunk(buffer);
          buffer = [];
        }
      }
      if (buffer.length > 0) yield this.chunk(buffer);
      done = true;
    } finally {
      // A result left unread would stay on the connection: only closing it stops the server sending.
      if (!done) {
        this.broken = true;
        this.conn.destroy();
      }
    }
  }

  async close(): Promise<void> {
    if (this.broken) return;
    await this.conn.promise().end();
  }

  private chunk(rows: readonly RawRow[]): RowChunk {
    return rowChunk<Buffer>(
      this.columns,
      this.reads.map((r) => r.value),
      (raw, i) => (this.reads[i] as MysqlColumnRead).text(raw),
      rows,
    );
  }
}
