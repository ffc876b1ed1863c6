import { ConnectorError } from '../errors.ts';
import type { JsonValue, Source, SourceBatch, SourceContext, SourceStream } from '../source.ts';
import type { SqlSourceConfig, SqlStreamConfig } from './config.ts';
import { readStream } from './read-stream.ts';
import type { SourceSession } from './session.ts';
import { parseTableName, qualify } from './table-name.ts';

/** What a database dialect provides to the shared source. */
export interface SqlSourceDialect {
  /** `postgres://user@host:5432/db` (never the password), for messages. */
  readonly location: string;
  ident(name: string): string;
  /** Opens a connection for reading one stream. */
  open(): Promise<SourceSession>;
  /** Turns a driver failure into a ConnectorError that says where it happened. */
  error(e: unknown, where: string): ConnectorError;
}

/**
 * A `Source` reading tables and queries of one database (see `readStream` for how each stream is
 * chunked and what its state holds). Each `read` opens its own connection and closes it when the
 * iteration ends, so streams may be read concurrently and nothing stays open between runs.
 */
export function sqlSource(name: string, config: SqlSourceConfig, dialect: SqlSourceDialect): Source {
  const streams = new Map<string, { config: SqlStreamConfig; from: string }>();
  for (const stream of config.streams) {
    const where = `${dialect.location}, stream "${stream.name}"`;
    const from =
      stream.table !== undefined
        ? qualify(parseTableName(stream.table, where), (n) => dialect.ident(n))
        : `(${(stream.query ?? '').trim().replace(/;+$/, '')}) AS strata_stream`;
    streams.set(stream.name, { config: stream, from });
  }

  return {
    name,
    streams(): readonly SourceStream[] {
      return config.streams.map((s) => ({
        name: s.name,
        description: s.table !== undefined ? `table ${s.table}` : `query: ${s.query}`,
        ...(s.primary_key && { primaryKey: s.primary_key }),
      }));
    },
    async *read(streamName: string, state: JsonValue | undefined, ctx: SourceContext): AsyncGenerator<SourceBatch> {
      const stream = streams.get(streamName);
      if (!stream) {
        throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `${dialect.location}: no stream ${streamName} (streams: ${[...streams.keys()].join(', ')})`);
      }
      const where = `${dialect.location}, stream "${streamName}"`;
      let session: SourceSession | undefined;
      try {
        session = await dialect.open();
        yield* readStream(session, { stream: stream.config, from: stream.from, ctx, where }, state);
      } catch (e) {
        throw e instanceof ConnectorError ? e : dialect.error(e, where);
      } finally {
        await session?.close().catch(() => undefined);
      }
    },
  };
}
