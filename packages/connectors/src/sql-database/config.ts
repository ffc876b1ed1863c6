import { z } from 'zod';
import { ConnectorError } from '../errors.ts';

const STREAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The parts of a connection written out instead of a URL. */
export const ConnectionPartsSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().positive().max(65535).optional(),
  user: z.string().min(1),
  password: z.string().optional(),
  database: z.string().min(1).optional(),
});

export type ConnectionParts = z.infer<typeof ConnectionPartsSchema>;
/** A URL (`postgres://user@host:5432/db`) or its parts. */
export type Connection = string | ConnectionParts;

/** `connection`: a URL with one of `protocols` (`postgres:`…) or an object with host, port, user, password, database. */
export function connectionSchema(protocols: readonly string[]) {
  return z.union([
    z.string().refine(
      (url) => {
        try {
          return protocols.includes(new URL(url).protocol);
        } catch {
          return false;
        }
      },
      { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    ),
    ConnectionPartsSchema,
  ]);
}

/** Where a connection points, for messages: `postgres://user@host:5432/db` (never the password). */
export function connectionLocation(connection: Connection, scheme: string, defaultPort: number): string {
  if (typeof connection === 'string') {
    const url = new URL(connection);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `${scheme}://${user}${url.hostname}:${url.port || defaultPort}/${connectionDatabase(connection)}`;
  }
  return `${scheme}://${connection.user}@${connection.host}:${connection.port ?? defaultPort}/${connection.database ?? ''}`;
}

/** The database a connection names (empty when it names none). */
export function connectionDatabase(connection: Connection): string {
  if (typeof connection !== 'string') return connection.database ?? '';
  return decodeURIComponent(new URL(connection).pathname.replace(/^\//, ''));
}

/** One stream of a database source: a table or a query, read fully or incrementally by a cursor column. */
export const SqlStreamSchema = z
  .strictObject({
    /** The stream's name, which names its bronze table. */
    name: z.string().regex(STREAM_NAME, 'a stream name is letters, digits and underscores, not starting with a digit'),
    /** `schema.table` (or `table`), each part as the database spells it. */
    table: z.string().min(1).optional(),
    /** A SELECT statement whose result is the stream (it becomes a derived table). */
    query: z.string().min(1).optional(),
    /** Read incrementally: only rows whose `column` is greater than the stored watermark. */
    cursor: z
      .strictObject({
        column: z.string().min(1),
        /** The first run reads rows with `column >= start`; without it, every row. */
        start: z.union([z.string(), z.number()]).optional(),
      })
      .optional(),
    /** Columns that identify a row: they make chunked reads resumable and break ties on the cursor. */
    primary_key: z.array(z.string().min(1)).min(1).optional(),
    /** Rows per batch. */
    chunk_size: z.number().int().positive().default(10_000),
  })
  .refine((s) => (s.table === undefined) !== (s.query === undefined), { message: 'set either table or query (one of them, not both)' });

export type SqlStreamConfig = z.infer<typeof SqlStreamSchema>;

/** The configuration of a database source (snake_case keys, as written in YAML). */
export function sqlSourceConfigSchema(protocols: readonly string[]) {
  return z
    .strictObject({
      /** Recorded in `_source`; defaults to `<dialect>:<database>`. */
      name: z.string().min(1).optional(),
      connection: connectionSchema(protocols),
      streams: z.array(SqlStreamSchema).min(1),
    })
    .superRefine((config, ctx) => {
      const seen = new Set<string>();
      config.streams.forEach((s, i) => {
        if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['streams', i, 'name'], message: `stream ${s.name} is defined twice` });
        seen.add(s.name);
      });
    });
}

export type SqlSourceConfig = z.infer<ReturnType<typeof sqlSourceConfigSchema>>;

/** The configuration of an export destination; `ExportOptions` of a call override the defaults given here. */
export function sqlDestinationConfigSchema(protocols: readonly string[]) {
  return z.strictObject({
    /** Names the destination in logs; defaults to `<dialect>:<database>`. */
    name: z.string().min(1).optional(),
    connection: connectionSchema(protocols),
    /** Default byte-rate limit of exports (bytes of parameters per second). */
    max_bytes_per_second: z.number().positive().optional(),
    /** Default rows per batch read from the relation. */
    batch_rows: z.number().int().positive().optional(),
  });
}

export type SqlDestinationConfig = z.infer<ReturnType<typeof sqlDestinationConfigSchema>>;

/** Validates `input` against `schema`, or fails with CONNECTOR_INVALID_CONFIG naming the field. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
  throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `${what}: ${path || 'config'}: ${issue?.message ?? 'invalid'}`);
}
