import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../core/errors';
import { parse } from '../core/validate';
import type { Attune } from '../engine/attune';

const RecommendQuery = z.object({
  k: z.coerce.number().int().min(1).max(100).default(10),
  locale: z.string().max(35).optional(),
  channel: z.string().max(64).optional(),
});

const UserParams = z.object({ id: z.string().min(1).max(512) });

/** Reads a body that must be a JSON object, with a 400 that says so otherwise. */
function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('request body must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

/**
 * The Attune REST API (`/v1`): Segment-compatible ingestion (`track`, `identify`, `page`,
 * `screen`, `batch`) and reads of profiles, segments and recommendations. Ids are the bot's
 * user ids, the same id space as the adapters.
 *
 * ```ts
 * app.use('/v1', apiRouter(attune));
 * ```
 */
export function apiRouter(attune: Attune): Router {
  const r = express.Router();
  r.use(express.json({ limit: '1mb' }));

  for (const type of ['track', 'identify', 'page', 'screen'] as const) {
    r.post(`/${type}`, async (req, res) => {
      const body = objectBody(req);
      if (body.type !== undefined && body.type !== type) throw new ValidationError(`invalid event`, [{ path: ['type'], message: `must be "${type}" on /v1/${type}` }]);
      const result = await attune.ingest({ ...body, type });
      res.json({ success: true, accepted: result.accepted.length, duplicates: result.duplicates.length });
    });
  }

  r.post('/batch', async (req, res) => {
    const result = await attune.batch(objectBody(req));
    res.json({ success: true, accepted: result.accepted.length, duplicates: result.duplicates.length });
  });

  r.get('/users/:id/profile', async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const profile = await attune.profile(id);
    if (!profile) return res.status(404).json({ error: 'not_found', message: `no profile for user ${id}` });
    res.json({ profile, segments: await attune.segmentsOf(id) });
  });

  r.get('/users/:id/segments', async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    res.json({ userId: id, segments: await attune.segmentsOf(id) });
  });

  r.get('/users/:id/recommendations', async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const q = parse(RecommendQuery, req.query, 'query');
    const recommendations = await attune.recommend(id, { k: q.k, context: { locale: q.locale, channel: q.channel } });
    res.json({ userId: id, recommendations });
  });

  return r;
}
