import type { RequestHandler } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../src/core/errors';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { ExperimentIdSchema, type Experiment } from '../../src/experiments/definition';
import { readExperimentResults } from '../../src/experiments/results';
import { sendJson } from './errors';

/** Answer of `GET /v1/experiments/:id/results` (see `readExperimentResults` for every field). */
export const ExperimentResultsAnswerSchema = z.looseObject({
  experimentId: z.string(),
  alpha: z.number(),
  variants: z.array(z.object({ id: z.string(), users: z.number(), plannedShare: z.number() })),
  srm: z.object({ pValue: z.number(), ok: z.boolean() }),
  metrics: z.array(z.looseObject({})),
  summary: z.array(z.string()),
});

/** Finds an experiment's definition by id (a registry, a config file); undefined when there is none. */
export type ExperimentLookup = (id: string) => Promise<Experiment | undefined>;

/** Path parameters of `GET /v1/experiments/:id/results`. */
export const ExperimentResultsParams = z.object({ id: ExperimentIdSchema });
/** Query of `GET /v1/experiments/:id/results`. */
export const ExperimentResultsQuery = z.object({ alpha: z.coerce.number().gt(0).lt(1).default(0.05) });

/**
 * `GET /v1/experiments/:id/results`: the experiment's results from the event log (users per
 * variant, the sample-ratio check, each metric's comparisons with intervals, a summary), as
 * `readExperimentResults` computes them. An unknown id is a 404; a malformed id or `alpha` a
 * 400 naming it. Mounted behind the `read` role (admin keys pass too).
 *
 * ```ts
 * router.get('/experiments/:id/results', auth.requireRole('read'), experimentResultsHandler(attune, (id) => registry.get(id)));
 * ```
 */
export function experimentResultsHandler(attune: Attune, lookup: ExperimentLookup): RequestHandler {
  return async (req, res) => {
    const { id } = parse(ExperimentResultsParams, req.params, 'path');
    const { alpha } = parse(ExperimentResultsQuery, req.query, 'query');
    const experiment = await lookup(id);
    if (!experiment) throw new NotFoundError(`experiment ${id}`);
    sendJson(res, 200, await readExperimentResults(attune.store, experiment, { alpha }));
  };
}

/** The engine's registry as a lookup: config and posted experiments, undefined for an unknown id. */
export function registryLookup(attune: Attune): ExperimentLookup {
  return async (id) => {
    try {
      return (await attune.experiments.get(id)).experiment;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  };
}
