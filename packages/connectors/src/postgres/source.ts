import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { ColumnSpec, Source } from '../source.ts';
import { connectionDatabase, parseConfig } from '../sql-database/config.ts';
import type { ChunkQuery, KeysetDialect } from '../sql-database/keyset.ts';
import { rowChunk } from '../sql-database/session.ts';
import type { RowChunk, SourceSession } from '../sql-database/session.ts';
import { sqlSource } from '../sql-database/sql-source.ts';
import { connectPostgres, quoteIdent, RAW_TEXT_TYPES } from './client.ts';
import { PostgresSourceConfigSchema, postgresLocation } from './config.ts';
import type { PostgresSourceConfig } from './config.ts';
import { postgresError } from './errors.ts';
import { missingTypes, pgColumnRead } from './source-types.ts';
import type { PgColumnRead, PgTypeInfo } from './source-types.ts';

/**
 * A source reading PostgreSQL tables and queries into typed batches, in chunks (keyset
 * pagination, or a server-side cursor for streams with neither cursor nor primary key), with
 * exactly-once states: each batch carries the position after its chunk (see `readStream`).
 * Types follow `PG_READ_TYPES`. Failures are CONNECTOR_DATABASE errors naming the server,
 * database and stream, retryable when the connection failed.
 */
export function postgresSource(input: PostgresSourceConfig): Source {
  const config = parseConfig(PostgresSourceConfigSchema, input, 'postgres source');
  return sqlSource(config.name ?? `postgres:${connectionDatabase(config.connection)}`, config, {
    location: postgresLocation(config.connection),
    ident: quoteIdent,
    open: async () => new PostgresSession(await connectPostgres(config.connection)),
    error: postgresError,
  });
}

type RawRow = (string | null)[];

class PostgresSession implements SourceSession {
  readonly dialect: KeysetDialect = { ident: quoteIdent, placeholder: (i) => `$${i}`, rowComparison: true };
  private columns: readonly ColumnSpec[] = [];
  private reads: readonly PgColumnRead[] = [];

  constructor(private readonly client: pg.Client) {}

  async describe(from: string): Promise<readonly ColumnSpec[]> {
    const { fields } = await this.client.query({ text: `SELECT * FROM ${from} LIMIT 0`, rowMode: 'array' });
    const catalog = new Map<number, PgTypeInfo>();
    for (let missing = missingTypes(fields.map((f) => f.dataTypeID), catalog); missing.length > 0; missing = missingTypes(fields.map((f) => f.dataTypeID), catalog)) {
      const { rows } = await this.client.query<Record<string, string>>(
        'SELECT oid::int8 AS oid, typtype, typcategory, typelem::int8 AS typelem, typbasetype::int8 AS typbasetype, typdelim FROM pg_type WHERE oid = ANY($1::oid[])',
        [missing],
      );
      for (const r of rows) {
        catalog.set(Number(r.oid), { oid: Number(r.oid), typtype: r.typtype ?? '', typcategory: r.typcategory ?? '', typelem: Number(r.typelem), typbasetype: Number(r.typbasetype), typdelim: r.typdelim ?? ',' });
      }
      // A type the catalog does not know (dropped meanwhile) is read as text rather than looked up again.
      for (const oid of missing) if (!catalog.has(oid)) catalog.set(oid, { oid, typtype: 'b', typcategory: 'U', typelem: 0, typbasetype: 0, typdelim: ',' });
    }
    this.reads = fields.map((f) => pgColumnRead(f.dataTypeID, f.dataTypeModifier, catalog));
    this.columns = fields.map((f, i) => ({ name: f.name, type: (this.reads[i] as PgColumnRead).type }));
    return this.columns;
  }

  async query(query: ChunkQuery): Promise<RowChunk> {
    const result = await this.client.query<RawRow>({ text: query.sql, values: [...query.params], rowMode: 'array' });
    return this.chunk(result.rows);
  }

  async *stream(sql: string, chunkSize: number): AsyncGenerator<RowChunk> {
    const cursor = this.client.query(new Cursor<RawRow>(sql, [], { rowMode: 'array', types: RAW_TEXT_TYPES }));
    try {
      for (;;) {
        const rows = await cursor.read(chunkSize);
        if (rows.length > 0) yield this.chunk(rows);
        if (rows.length < chunkSize) return;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private chunk(rows: readonly RawRow[]): RowChunk {
    return rowChunk<string>(
      this.columns,
      this.reads.map((r) => r.value),
      (text) => text,
      rows,
    );
  }
}
