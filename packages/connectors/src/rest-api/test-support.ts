// A local HTTP API for the REST source's tests, and helpers to read a source to the end.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '@strata/delta';
import type { JsonValue, Source, SourceBatch, SourceContext } from '../source.ts';

export interface TestRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Values of `:name` segments of the route. */
  readonly params: Readonly<Record<string, string>>;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface TestReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly text?: string;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export type Route = (req: TestRequest) => TestReply | Promise<TestReply>;

export interface TestApi {
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly requests: TestRequest[];
  /** The most requests in flight at once so far. */
  readonly maxInFlight: number;
  /** Requests to routes whose pattern is `pattern`. */
  requestsTo(pattern: string): TestRequest[];
  close(): Promise<void>;
}

/** Starts an API on a free port; routes are `METHOD /path/:param` or `/path/:param` (GET). Unknown paths answer 404. */
export async function startTestApi(routes: Readonly<Record<string, Route>>): Promise<TestApi> {
  const table = Object.entries(routes).map(([pattern, route]) => {
    const [method, path] = pattern.includes(' ') ? (pattern.split(' ') as [string, string]) : ['GET', pattern];
    const names: string[] = [];
    const regex = new RegExp(`^${path.replace(/:([A-Za-z_]+)/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
    return { pattern, method, regex, names, route };
  });
  const requests: TestRequest[] = [];
  const byPattern = new Map<TestRequest, string>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const entry = table.find((r) => r.method === method && r.regex.test(url.pathname));
      const match = entry?.regex.exec(url.pathname);
      const params = Object.fromEntries((entry?.names ?? []).map((n, i) => [n, decodeURIComponent(match?.[i + 1] ?? '')]));
      const request: TestRequest = { method, url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), params, at: performance.now() };
      requests.push(request);
      if (entry) byPattern.set(request, entry.pattern);
      const answer = async (): Promise<TestReply> => (entry ? entry.route(request) : { status: 404, json: { error: `no route ${url.pathname}` } });
      answer()
        .then(async (reply) => {
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
          const type = reply.json !== undefined ? { 'content-type': 'application/json' } : {};
          res.writeHead(reply.status ?? 200, { ...type, ...reply.headers });
          res.end(body);
        })
        .catch((e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        })
        .finally(() => inFlight--);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    requestsTo: (pattern) => requests.filter((r) => byPattern.get(r) === pattern),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
}

/** A context for reading; the REST source does not use the engine. */
export function testContext(signal: AbortSignal = new AbortController().signal, logs: LogLine[] = []): SourceContext {
  return {
    engine: undefined as unknown as Engine,
    signal,
    log: (level, message) => logs.push({ level, message }),
  };
}

export interface ReadResult {
  readonly batches: SourceBatch[];
  readonly records: Readonly<Record<string, unknown>>[];
  /** The state of the last batch that had one. */
  readonly state: JsonValue | undefined;
}

/** Reads a stream to the end. */
export async function readAll(source: Source, stream: string, state?: JsonValue, ctx: SourceContext = testContext()): Promise<ReadResult> {
  const batches: SourceBatch[] = [];
  for await (const batch of source.read(stream, state, ctx)) batches.push(batch);
  return { batches, records: batches.flatMap(recordsOf), state: [...batches].reverse().find((b) => b.state !== undefined)?.state };
}

export function recordsOf(batch: SourceBatch): Readonly<Record<string, unknown>>[] {
  return batch.data.kind === 'records' ? [...batch.data.records] : [];
}

/** `count` items `{ id, name }` with ids 1..count. */
export function items(count: number): { id: number; name: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` }));
}

/** The ids of records, in order. */
export function ids(records: readonly Readonly<Record<string, unknown>>[]): unknown[] {
  return records.map((r) => r.id);
}
