import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from './auth.ts';
import { Authenticator, DEFAULT_CREDENTIALS } from './auth.ts';
import { SimulatorError } from './errors.ts';
import { NO_FAULTS, RequestFaults, parseFaultPatch } from './faults.ts';
import type { ListQuery } from './page.ts';
import { MAX_LIMIT } from './page.ts';
import { ENTITY_NAMES } from './records.ts';
import type { Simulator, SimulatorOptions } from './simulator.ts';
import { createSimulator } from './simulator.ts';

export interface SimulatorServerOptions extends SimulatorOptions, Partial<Credentials> {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Serve this simulator instead of creating one from the other options. */
  readonly sim?: Simulator;
  /** Wall clock in ms used for token expiry (tests pass a fake one). */
  readonly clock?: () => number;
}

export interface SimulatorServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  readonly apiKey: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly sim: Simulator;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

function errorBody(error: string, message: string) {
  return { error, message };
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SimulatorError('SIM_INVALID_REQUEST', `query parameter ${name} must be given once`);
  return value;
}

function listQuery(query: Readonly<Record<string, unknown>>): ListQuery {
  const limit = text(query.limit, 'limit');
  if (limit !== undefined && !/^\d+$/.test(limit)) throw new SimulatorError('SIM_INVALID_REQUEST', `limit must be an integer from 1 to ${MAX_LIMIT}, got "${limit}"`);
  return {
    limit: limit === undefined ? undefined : Number(limit),
    cursor: text(query.cursor, 'cursor'),
    updatedSince: text(query.updated_since, 'updated_since'),
  };
}

function sendJson(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

/**
 * The back-office REST API over a simulator: `/v1/*` lists (API key or OAuth bearer token, with the
 * request faults), `/oauth/token`, `/admin/*` (same credentials, no faults) and `/health`.
 */
export function buildSimulatorApp(sim: Simulator, auth: Authenticator): FastifyInstance {
  const app = Fastify({ logger: false });
  const requestFaults = new RequestFaults(sim.seed);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setErrorHandler((e, _req, reply) => {
    if (e instanceof SimulatorError) return reply.code(e.status).send(errorBody(e.code.slice(4).toLowerCase(), e.message));
    const status = typeof (e as { statusCode?: unknown }).statusCode === 'number' ? (e as { statusCode: number }).statusCode : 500;
    return reply.code(status).send(errorBody(status < 500 ? 'invalid_request' : 'internal_error', e instanceof Error ? e.message : String(e)));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`)));

  app.addHook('preHandler', async (req, reply) => {
    const route = req.routeOptions.url ?? '';
    if (!route.startsWith('/v1/') && !route.startsWith('/admin/')) return;
    const failure = auth.check(req.headers, req.query as Record<string, unknown>);
    if (failure) {
      const challenge = failure.error === 'invalid_token' ? 'Bearer realm="leisure-parks", error="invalid_token"' : 'Bearer realm="leisure-parks"';
      return reply.code(401).header('www-authenticate', challenge).send(errorBody(failure.error, failure.message));
    }
    if (!route.startsWith('/v1/')) return;
    const fault = requestFaults.next(sim.faults);
    if (fault.kind === 'throttle') {
      return reply.code(429).header('retry-after', String(fault.retryAfterSeconds)).send(errorBody('rate_limited', `too many requests; retry after ${fault.retryAfterSeconds} s`));
    }
    if (fault.kind === 'error') return reply.code(fault.status).send(errorBody('server_error', `the server failed to answer (HTTP ${fault.status}); try again`));
    if (fault.kind === 'slow') await sleep(fault.delayMs);
  });

  app.get('/health', async () => ({ status: 'ok', now: sim.now }));

  app.post('/oauth/token', async (req, reply) => {
    const body = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const result = auth.issue(body, req.headers.authorization);
    if ('error' in result) {
      const status = result.error === 'invalid_client' ? 401 : 400;
      return reply.code(status).header('cache-control', 'no-store').send({ error: result.error, error_description: result.message });
    }
    return reply.header('cache-control', 'no-store').send(result);
  });

  for (const entity of ENTITY_NAMES) {
    app.get(`/v1/${entity}`, async (req, reply) => sendJson(reply, sim.listJson(entity, listQuery(req.query as Record<string, unknown>))));
  }
  app.get<{ Params: { id: string } }>('/v1/parks/:id/bookings', async (req, reply) => {
    const parkId = /^\d+$/.test(req.params.id) ? Number(req.params.id) : NaN;
    if (Number.isNaN(parkId)) throw new SimulatorError('SIM_NOT_FOUND', `no park with id "${req.params.id}"`);
    return sendJson(reply, sim.listJson('bookings', { ...listQuery(req.query as Record<string, unknown>), parkId }));
  });

  app.get('/admin/state', async () => ({
    now: sim.now,
    start: sim.start,
    seed: sim.seed,
    scale: sim.scale,
    counts: sim.counts(),
    faults: sim.faults,
    requests: requestFaults.requests,
  }));
  app.post('/admin/faults', async (req) => ({ faults: sim.setFaults(parseFaultPatch(req.body ?? {}, 'the body of POST /admin/faults')) }));
  app.delete('/admin/faults', async () => ({ faults: sim.setFaults(NO_FAULTS) }));
  app.post('/admin/clock', async (req) => {
    const body = (req.body ?? {}) as { days?: unknown; to?: unknown };
    if (typeof body.days === 'number' && body.to === undefined) return sim.advanceDays(body.days);
    if (typeof body.to === 'string' && body.days === undefined) return sim.advanceTo(body.to);
    throw new SimulatorError('SIM_CLOCK', 'send {"days": <number>} or {"to": "<ISO instant>"} to move the clock forward');
  });

  return app;
}

/** Creates a simulator (unless one is given) and serves it; resolves once the server listens. */
export async function startSimulatorServer(options: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const { port = 0, host = '127.0.0.1', sim: given, clock, apiKey, clientId, clientSecret, tokenTtlSeconds, ...simOptions } = options;
  const credentials: Credentials = {
    apiKey: apiKey ?? DEFAULT_CREDENTIALS.apiKey,
    clientId: clientId ?? DEFAULT_CREDENTIALS.clientId,
    clientSecret: clientSecret ?? DEFAULT_CREDENTIALS.clientSecret,
    tokenTtlSeconds: tokenTtlSeconds ?? DEFAULT_CREDENTIALS.tokenTtlSeconds,
  };
  if (!(credentials.tokenTtlSeconds > 0)) throw new SimulatorError('SIM_INVALID_OPTIONS', `tokenTtlSeconds must be > 0, got ${credentials.tokenTtlSeconds}`);
  const sim = given ?? createSimulator(simOptions);
  const app = buildSimulatorApp(sim, new Authenticator(credentials, clock));
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    ...credentials,
    sim,
    app,
    close: () => app.close(),
  };
}
