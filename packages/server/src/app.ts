import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { RunOutcome, StrataProject } from '@strata/core';
import { errorResponse } from './errors.ts';

export interface AppOptions {
  readonly project: StrataProject;
  /** Called with each run launched through the API, once it ends. */
  readonly onRun?: (outcome: RunOutcome) => void;
}

const assetView = (a: ReturnType<StrataProject['select']>[number]) => ({
  key: a.key,
  domain: a.domain,
  layer: a.layer,
  name: a.name,
  kind: a.kind,
  description: a.description ?? null,
  materialization: a.materialization,
  partitions: a.partitions ?? null,
  deps: a.deps,
  tags: a.tags,
  owner: a.owner ?? null,
});

/**
 * The project's HTTP API (JSON): assets, runs and their events, and launching runs. Errors are
 * `{ error: { code, message, retryable } }` with the status mapped in errors.ts.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  const { project } = options;
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  app.setErrorHandler((e, _req, reply) => {
    const { status, body } = errorResponse(e);
    void reply.status(status).send(body);
  });

  app.get('/api/health', async () => ({ status: 'ok', project: project.config.name, assets: project.graph.size }));

  app.get<{ Querystring: { select?: string } }>('/api/assets', async (req) => ({ assets: project.select(req.query.select).map(assetView) }));

  app.get<{ Params: { key: string } }>('/api/assets/:key', async (req, reply) => {
    if (!project.graph.has(req.params.key)) {
      return reply.status(404).send({ error: { code: 'CORE_SELECTION', message: `no asset ${req.params.key}`, retryable: false } });
    }
    const asset = project.graph.get(req.params.key);
    const latest = await project.runs.latestMaterialization(asset.key);
    return { asset: assetView(asset), latestMaterialization: latest ?? null, downstream: [...project.graph.downstream(asset.key, 1)] };
  });

  app.get<{ Querystring: { limit?: string; status?: 'queued' | 'running' | 'success' | 'failed' | 'canceled'; asset?: string } }>('/api/runs', async (req) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    return { runs: await project.runs.listRuns({ limit, status: req.query.status, assetKey: req.query.asset }) };
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id', async (req, reply) => {
    const run = await project.runs.getRun(req.params.id);
    if (!run) return reply.status(404).send({ error: { code: 'CORE_RUN_NOT_FOUND', message: `no run ${req.params.id}`, retryable: false } });
    return { run };
  });

  app.get<{ Params: { id: string }; Querystring: { afterSeq?: string } }>('/api/runs/:id/events', async (req) => ({
    events: await project.runs.events(req.params.id, { afterSeq: req.query.afterSeq === undefined ? undefined : Number(req.query.afterSeq) }),
  }));

  app.post<{ Body: { select?: string[] | string; partitions?: string[] } }>(
    '/api/runs',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            select: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            partitions: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    async (req, reply) => {
      // Validate the selection now, so a bad one is a 400 rather than a failed run.
      project.select(req.body?.select);
      let resolveId: (id: string) => void = () => undefined;
      const started = new Promise<string>((r) => (resolveId = r));
      const run = project.materialize({
        select: req.body?.select,
        partitions: req.body?.partitions,
        trigger: 'api',
        onEvent: (e) => {
          if (e.type === 'run_started') resolveId(e.runId);
        },
      });
      run.then((o) => options.onRun?.(o)).catch((e: unknown) => app.log.error(e));
      const runId = await Promise.race([started, run.then((o) => o.runId)]);
      return reply.status(202).send({ runId });
    },
  );

  return app;
}
