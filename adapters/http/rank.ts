import { z } from 'zod';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { EventIdSchema, RankRequestSchema, RewardValueSchema } from '../../src/learning/rank/schema';
import { objectBody } from './body';
import type { DocumentedRoutes } from './route-docs';
import { errorResponses, jsonResponse } from './schemas';
import type { HttpMiddleware } from './types';

/**
 * Rank/reward over REST, as Personalizer's API has it: `POST /v1/rank` chooses among the
 * caller's actions and answers the ranking with its propensities; `POST
 * /v1/events/:eventId/reward` scores that decision within its wait window. The schemas are
 * exported for the OpenAPI document.
 */

/** Answer of `POST /v1/rank`. */
export const RankAnswerSchema = z.object({
  eventId: z.string(),
  chosen: z.string(),
  ranking: z.array(z.object({ id: z.string(), probability: z.number() })),
  propensity: z.number(),
  rewardDeadline: z.string(),
  learned: z.string().optional(),
  degraded: z.literal(true).optional(),
});

/** Path parameters of `/v1/events/:eventId/reward`. */
export const RewardParamsSchema = z.object({ eventId: EventIdSchema });

/** Body of `POST /v1/events/:eventId/reward`. */
export const RewardBodySchema = z.strictObject({ value: RewardValueSchema });

/** Answer of `POST /v1/events/:eventId/reward`. */
export const RewardAnswerSchema = z.object({ eventId: z.string(), value: z.number() });

/**
 * Adds the rank/reward routes to the API router, behind `guard` (the `turns` role: the bot
 * calls them while it answers). Bad input answers 400 naming where; an unknown event 404; a
 * second reward, a late one, or a re-used eventId 409.
 *
 * ```ts
 * rankRoutes(route, attune, role('turns'));
 * ```
 */
export function rankRoutes(route: DocumentedRoutes, attune: Attune, guard: HttpMiddleware): void {
  const security: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];
  route.post(
    '/rank',
    {
      summary: 'Choose one of the given actions for a context',
      description: 'Logs the decision (`Rank Decided`) with every action\'s propensity; reward it by `eventId` within the reward wait window. Role `turns`.',
      tags: ['rank'],
      security,
      requestBody: { content: { 'application/json': { schema: RankRequestSchema } } },
      responses: { 200: jsonResponse('the decision', RankAnswerSchema), ...errorResponses(400, 401, 403, 409, 413, 429, 503) },
    },
    guard,
    async (req, res) => {
      res.json(await attune.rank(parse(RankRequestSchema, objectBody(req.body), 'body')));
    },
  );

  route.post(
    '/events/:eventId/reward',
    {
      summary: 'Reward a rank decision',
      description: 'Within the wait window after `POST /v1/rank`; later, the configured default reward stands. Role `turns`.',
      tags: ['rank'],
      security,
      requestParams: { path: RewardParamsSchema },
      requestBody: { content: { 'application/json': { schema: RewardBodySchema } } },
      responses: { 200: jsonResponse('the reward taken', RewardAnswerSchema), ...errorResponses(400, 401, 403, 404, 409, 413, 429, 503) },
    },
    guard,
    async (req, res) => {
      const { eventId } = parse(RewardParamsSchema, req.params, 'path');
      const { value } = parse(RewardBodySchema, objectBody(req.body), 'body');
      res.json(await attune.reward(eventId, value));
    },
  );
}
