import { ConnectorError } from '../errors.ts';
import type { JsonValue, Source, SourceBatch, SourceContext } from '../source.ts';
import { readChildStream } from './child-stream.ts';
import { RestClient } from './client.ts';
import { RestApiSourceConfigSchema } from './config.ts';
import type { RestApiSourceConfigInput, StreamConfig } from './config.ts';
import { parseState } from './state.ts';
import { readPlainStream } from './stream.ts';
import type { StreamReader } from './stream.ts';

export interface RestApiSourceOptions {
  /** The fetch to use (default: Node's global fetch). */
  readonly fetch?: typeof fetch;
  /** Recorded in `_source` (default: `rest_api:<host of base_url>`). */
  readonly name?: string;
}

/**
 * A source reading JSON records from a REST API, one batch per page. The configuration is validated
 * again here (defaults applied); an invalid one is CONNECTOR_INVALID_CONFIG naming the field. The
 * streams share one client, hence one rate limit, one concurrency limit and one OAuth2 token.
 */
export function restApiSource(config: RestApiSourceConfigInput, options: RestApiSourceOptions = {}): Source {
  const parsed = RestApiSourceConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '(top level)' : issue.path.join('.');
    throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `rest_api source: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const valid = parsed.data;
  const reader: StreamReader = {
    config: valid,
    client: new RestClient(valid, options.fetch ?? globalThis.fetch),
    streams: new Map(valid.streams.map((s) => [s.name, s])),
  };
  return {
    name: options.name ?? `rest_api:${new URL(valid.base_url).host}`,
    streams: () =>
      valid.streams.map((s) => ({
        name: s.name,
        ...(s.description !== undefined ? { description: s.description } : {}),
        ...(s.primary_key !== undefined ? { primaryKey: s.primary_key } : {}),
      })),
    read: (stream, state, ctx) => readStream(reader, stream, state, ctx),
  };
}

async function* readStream(reader: StreamReader, name: string, raw: JsonValue | undefined, ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const stream: StreamConfig | undefined = reader.streams.get(name);
  if (stream === undefined) {
    throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `rest_api source has no stream ${name} (streams: ${[...reader.streams.keys()].join(', ')})`);
  }
  const { state, problems } = parseState(raw);
  for (const p of problems) ctx.log('warn', `stream ${name}: ${p}; it is ignored`);
  if (stream.parent !== undefined) yield* readChildStream(reader, stream, state, ctx);
  else yield* readPlainStream(reader, stream, state, ctx);
}
