import type { RequestHandler } from 'express';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { TurnRequestSchema } from '../../src/engine/turn-request';
import { objectBody } from './body';
import { sendJson } from './errors';

/**
 * `POST /v1/turns`, the generic adapter over HTTP, for any bot that can make a request: the
 * user's message with its context (user and session ids, channel, locale, intent and
 * entities when the bot knows them, the bot's draft reply) in; the personalization out
 * (recommendations, tone, the draft rewritten in that tone, segments, variant), as
 * `attune.turn()` answers in process. The turn is logged and the profile updated as on every
 * adapter. A malformed turn is a 400 naming the field; when Attune cannot personalize (the
 * store is down, the user was erased) the answer is still a 200, with `degraded: true` and
 * the draft as it was, so the bot answers as it would without Attune.
 *
 * ```ts
 * router.post('/turns', auth.requireRole('turns'), turnsHandler(attune));
 * ```
 */
export function turnsHandler(attune: Attune): RequestHandler {
  return async (req, res) => {
    const turn = parse(TurnRequestSchema, objectBody(req.body), 'turn');
    sendJson(res, 200, await attune.turn(turn, { adapter: 'http' }));
  };
}
