import { z } from 'zod';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { ExperimentIdSchema, ExperimentSchema } from '../../src/experiments/definition';
import type { ExperimentRecord } from '../../src/experiments/registry';
import { objectBody } from './body';
import type { DocumentedRoutes } from './route-docs';
import { errorResponses, jsonResponse } from './schemas';
import type { HttpMiddleware } from './types';

/**
 * The experiments' REST routes under `/v1/experiments`: definitions (`POST`, admin), the list
 * and one experiment with its allocation history (`GET`, read). The request and response
 * schemas are exported for the OpenAPI document.
 */

/** Path parameters of `/v1/experiments/:id`. */
export const ExperimentParamsSchema = z.object({ id: ExperimentIdSchema });

/** Body of `POST /v1/experiments`: an experiment definition. */
export const ExperimentRequestSchema = ExperimentSchema;

/** One point of an experiment's allocation history. */
export const AllocationPointSchema = z.object({
  at: z.string(),
  weights: z.array(z.number()),
  bestArmProbabilities: z.array(z.number()).optional(),
  arms: z.array(z.object({ successes: z.number(), trials: z.number() })).optional(),
});

/** An experiment as the API answers it: the definition, where it comes from, the weights in force and their history. */
export const ExperimentResponseSchema = z.object({
  experiment: ExperimentSchema,
  source: z.enum(['config', 'api']),
  weights: z.array(z.number()),
  allocations: z.array(AllocationPointSchema),
});

/** Answer of `GET /v1/experiments`. */
export const ExperimentListResponseSchema = z.object({ experiments: z.array(ExperimentResponseSchema) });

/** Who may call which route: the API's role guards. */
export interface ExperimentRouteGuards {
  read: HttpMiddleware;
  admin: HttpMiddleware;
}

const answer = (r: ExperimentRecord) => ({ experiment: r.experiment, source: r.source, weights: r.weights, allocations: r.allocations });

/**
 * Adds the experiment routes to the API router. Bad definitions answer 400 naming each
 * problem's path; an unknown id 404; an id defined in config 409.
 *
 * ```ts
 * experimentRoutes(router, attune, { read: role('read'), admin: role('admin') });
 * ```
 */
export function experimentRoutes(route: DocumentedRoutes, attune: Attune, guards: ExperimentRouteGuards): void {
  const security: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];
  route.post(
    '/experiments',
    {
      summary: 'Define or replace an experiment',
      description: 'Validated whole; replacing a posted experiment keeps enrolled users in their variant unless `bucketVersion` is bumped. Role `admin`.',
      tags: ['experiments'],
      security,
      requestBody: { content: { 'application/json': { schema: ExperimentRequestSchema } } },
      responses: { 201: jsonResponse('saved', ExperimentResponseSchema), ...errorResponses(400, 401, 403, 409, 413, 429, 503) },
    },
    guards.admin,
    async (req, res) => {
      const saved = await attune.experiments.save(objectBody(req.body));
      res.status(201).json(answer(saved));
    },
  );

  route.get(
    '/experiments',
    { summary: 'The experiments, from config and posted', tags: ['experiments'], security, responses: { 200: jsonResponse('the experiments', ExperimentListResponseSchema), ...errorResponses(401, 403, 429, 503) } },
    guards.read,
    async (_req, res) => {
      res.json({ experiments: (await attune.experiments.list()).map(answer) });
    },
  );

  route.get(
    '/experiments/:id',
    {
      summary: 'One experiment with its weights and allocation history',
      tags: ['experiments'],
      security,
      requestParams: { path: ExperimentParamsSchema },
      responses: { 200: jsonResponse('the experiment', ExperimentResponseSchema), ...errorResponses(400, 401, 403, 404, 429, 503) },
    },
    guards.read,
    async (req, res) => {
      const { id } = parse(ExperimentParamsSchema, req.params, 'path');
      res.json(answer(await attune.experiments.get(id)));
    },
  );
}
