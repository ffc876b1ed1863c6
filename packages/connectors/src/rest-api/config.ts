import { z } from 'zod';

const HTTP_URL = z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://api.example.com/v1' });
const NAME = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name of letters, digits and _ (not starting with a digit)');
const PARAM = z.string().min(1, 'a query parameter name');
const SECRET = z.string().min(1, 'a non-empty value (use ${ENV_VAR} to read it from the environment)');
const PAGE_SIZE = z.number().int().positive();
/** A dot path into a JSON body, e.g. `data.items` or `meta.next_cursor`. */
const DOT_PATH = z.string().regex(/^[^.]+(\.[^.]+)*$/, 'a dot path such as data or meta.next_cursor');
const PARAM_VALUE = z.union([z.string(), z.number(), z.boolean()], { error: 'a string, number or boolean' });

const ApiKeyAuthSchema = z
  .object({
    type: z.literal('api_key'),
    /** Header carrying the key, e.g. X-API-Key. */
    header: z.string().min(1).optional(),
    /** Query parameter carrying the key, e.g. api_key (redacted from messages and state). */
    query: PARAM.optional(),
    value: SECRET,
  })
  .strict()
  .refine((a) => (a.header === undefined) !== (a.query === undefined), {
    error: 'give exactly one of header (e.g. header: X-API-Key) or query (e.g. query: api_key)',
  });

const AuthSchema = z.discriminatedUnion('type', [
  ApiKeyAuthSchema,
  z.object({ type: z.literal('bearer'), token: SECRET }).strict(),
  z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }).strict(),
  z
    .object({
      type: z.literal('oauth2_client_credentials'),
      token_url: HTTP_URL,
      client_id: z.string().min(1),
      client_secret: SECRET,
      scope: z.string().optional(),
      audience: z.string().optional(),
    })
    .strict(),
]);

const PaginationSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('offset'),
      limit_param: PARAM.default('limit'),
      offset_param: PARAM.default('offset'),
      page_size: PAGE_SIZE.default(100),
    })
    .strict(),
  z
    .object({
      type: z.literal('page'),
      page_param: PARAM.default('page'),
      size_param: PARAM.default('per_page'),
      page_size: PAGE_SIZE.default(100),
      first_page: z.number().int().min(0).default(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('cursor'),
      cursor_param: PARAM.default('cursor'),
      /** Where the next cursor is in the body; absent, null or empty on the last page. */
      cursor_path: DOT_PATH.default('next_cursor'),
      /** Sent as `limit_param` when given. */
      page_size: PAGE_SIZE.optional(),
      limit_param: PARAM.default('limit'),
    })
    .strict(),
  z.object({ type: z.literal('link_header') }).strict(),
  z
    .object({
      type: z.literal('next_url'),
      /** Where the next page's URL (absolute or relative) is in the body; absent, null or empty on the last page. */
      next_url_path: DOT_PATH.default('next'),
    })
    .strict(),
  z.object({ type: z.literal('none') }).strict(),
]);

const IncrementalSchema = z
  .object({
    /** Dot path of the record field whose maximum becomes the watermark (an ISO timestamp or a number). */
    cursor_field: DOT_PATH,
    /** Query parameter receiving the run's starting value, e.g. updated_since. */
    param: PARAM,
    /** Starting value of the first run; without it the first run sends no filter (full extraction). */
    start: z
      .union([z.string(), z.number()], { error: 'an ISO timestamp or a number' })
      .refine((v) => typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(v) || !Number.isNaN(Date.parse(v)), {
        error: 'an ISO timestamp (2022-01-01T00:00:00Z) or a number',
      })
      .optional(),
    /** Re-read this far behind the watermark to catch late updates (numeric cursors: subtracted as is). */
    lookback_seconds: z.number().min(0).default(0),
  })
  .strict();

const StreamSchema = z
  .object({
    /** The stream's name: its bronze table. */
    name: NAME,
    description: z.string().optional(),
    /** Path below base_url (`/bookings`); a child stream's path may hold `{as}` placeholders. */
    path: z.string().min(1),
    params: z.record(z.string(), PARAM_VALUE).optional(),
    /** Dot path to the records array; default: the body itself, which must then be an array. */
    records_path: DOT_PATH.optional(),
    primary_key: z.array(z.string().min(1)).min(1).optional(),
    /** Overrides the source's pagination. */
    pagination: PaginationSchema.optional(),
    incremental: IncrementalSchema.optional(),
    /** Fetch every record of `stream`, then this path once per distinct value of its `key` field. */
    parent: z
      .object({
        stream: NAME,
        key: DOT_PATH,
        /** Placeholder in `path` (`{park_id}`), or query parameter when the path has none. */
        as: NAME,
      })
      .strict()
      .optional(),
  })
  .strict();

/** The `rest_api_source` configuration: the single source of its validation messages and JSON Schema. */
export const RestApiSourceConfigSchema = z
  .object({
    base_url: HTTP_URL,
    headers: z.record(z.string(), z.string()).optional(),
    auth: AuthSchema.optional(),
    /** Default pagination of the streams (default: none). */
    pagination: PaginationSchema.optional(),
    rate_limit: z
      .object({
        /** Requests are spaced at least 1/requests_per_second apart, across all streams of the source. */
        requests_per_second: z.number().positive().optional(),
        /** Requests in flight at once; also how many parents a child stream fetches in parallel (default 1). */
        concurrency: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    retry: z
      .object({
        max_retries: z.number().int().min(0).default(5),
        initial_delay_ms: z.number().int().min(0).default(500),
        /** Longest backoff between retries (Retry-After excepted). */
        max_delay_ms: z.number().int().min(0).default(30_000),
        /** Longest Retry-After honoured; a longer one (a quota exhausted for the day) fails at once. */
        max_retry_after_ms: z.number().int().min(0).default(600_000),
      })
      .strict()
      .default({ max_retries: 5, initial_delay_ms: 500, max_delay_ms: 30_000, max_retry_after_ms: 600_000 }),
    timeout_ms: z.number().int().positive().default(30_000),
    streams: z.array(StreamSchema).min(1, 'at least one stream'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const index = new Map<string, number>();
    config.streams.forEach((s, i) => {
      if (index.has(s.name)) ctx.addIssue({ code: 'custom', path: ['streams', i, 'name'], message: `duplicate stream name ${s.name}` });
      else index.set(s.name, i);
    });
    config.streams.forEach((s, i) => {
      const placeholders = [...s.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
      if (s.parent === undefined) {
        if (placeholders.length > 0) {
          ctx.addIssue({ code: 'custom', path: ['streams', i, 'path'], message: `{${placeholders[0]}} in a path needs a parent (parent: { stream, key, as })` });
        }
        return;
      }
      const as = s.parent.as;
      const other = placeholders.find((p) => p !== as);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['streams', i, 'path'], message: `unknown placeholder {${other}}: the parent's value is {${as}}` });
      }
      if (!index.has(s.parent.stream)) {
        const names = [...index.keys()].join(', ');
        ctx.addIssue({ code: 'custom', path: ['streams', i, 'parent', 'stream'], message: `no stream named ${s.parent.stream} (streams: ${names})` });
        return;
      }
      const chain = [s.name];
      for (let p: string | undefined = s.parent.stream; p !== undefined; p = config.streams[index.get(p) ?? -1]?.parent?.stream) {
        chain.push(p);
        if (p === s.name) {
          ctx.addIssue({ code: 'custom', path: ['streams', i, 'parent', 'stream'], message: `parents form a cycle: ${chain.join(' → ')}` });
          return;
        }
        if (chain.length > config.streams.length + 1) return;
      }
    });
  });

/** A validated configuration, with defaults applied. */
export type RestApiSourceConfig = z.infer<typeof RestApiSourceConfigSchema>;
/** A configuration as written (defaults may be left out). */
export type RestApiSourceConfigInput = z.input<typeof RestApiSourceConfigSchema>;
export type StreamConfig = RestApiSourceConfig['streams'][number];
export type AuthConfig = NonNullable<RestApiSourceConfig['auth']>;
export type PaginationConfig = z.infer<typeof PaginationSchema>;
export type IncrementalConfig = z.infer<typeof IncrementalSchema>;
export type RetryConfig = RestApiSourceConfig['retry'];
