import express, { type Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { parseConsentBody, PURPOSES } from '../../src/privacy/consent';
import { audit, type Actor } from '../../src/privacy/rights';
import { apiKeyAuth, type ApiKeys, callerOf, type Role } from './api-keys';
import type { AuthThrottle } from './auth-throttle';
import { BODY_LIMITS, jsonBody, objectBody as bodyObject } from './body';
import { experimentRoutes } from './experiments';
import { limitByClient, type RateLimiter, rateLimiter } from './rate-limit';
import { turnsHandler } from './turns';
import type { HttpMiddleware, HttpRequest } from './types';

const RecommendQuery = z.object({
  k: z.coerce.number().int().min(1).max(100).default(10),
  locale: z.string().max(35).optional(),
  channel: z.string().max(64).optional(),
});

const UserParams = z.object({ id: z.string().min(1).max(512) });

/** What Segment's and RudderStack's clients label their JSON with (see {@link jsonBody}'s `types`). */
const SEGMENT_BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain'] as const;

const objectBody = (req: HttpRequest) => bodyObject(req.body);

/** Options of {@link apiRouter}. */
export interface ApiOptions {
  /**
   * API keys with roles (`ingest`, `read`, `turns`, `admin`), or `false` to serve without
   * authentication (only behind your own auth, or in tests).
   */
  keys: ApiKeys | false;
  /**
   * Requests per key per minute, across all routes (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`,
   * else 600). Without keys, the budget is per client address.
   */
  ratePerMinute?: number;
  /** The budget itself, to share it wider than this router (overrides `ratePerMinute`). */
  limiter?: RateLimiter;
  /** Throttle of clients that keep presenting wrong keys (default: 10 failures a minute). */
  authThrottle?: AuthThrottle;
}

/**
 * The Attune REST API (`/v1`): Segment-compatible ingestion (`track`, `identify`, `page`,
 * `screen`, `alias`, `group`, `batch`), turns of any HTTP bot (`turns`), reads of profiles, segments and
 * recommendations, experiments (`experiments`), and the user's rights (consent, export, erasure). Ids are the bot's user
 * ids, the same id space as the adapters.
 *
 * ```ts
 * app.use('/v1', apiRouter(attune));
 * ```
 */
export function apiRouter(attune: Attune, options: ApiOptions): Router {
  const r = express.Router();
  // One limiter for the whole router: a key's budget is the same whichever route it calls.
  const limiter = options.limiter ?? rateLimiter({ perMinute: options.ratePerMinute, clock: attune.clock });
  const auth = options.keys ? apiKeyAuth({ keys: options.keys, limiter, authThrottle: options.authThrottle, clock: attune.clock }) : undefined;
  const unauthenticated = limitByClient(limiter);
  const role = (name: Role): HttpMiddleware => (auth ? auth.requireRole(name) : unauthenticated);
  const ingest = role('ingest');
  const read = role('read');
  const admin = role('admin');
  r.use(jsonBody({ limit: BODY_LIMITS.default, logger: attune.logger, types: SEGMENT_BODY_TYPES }));

  r.post('/turns', role('turns'), turnsHandler(attune));

  for (const type of ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const) {
    r.post(`/${type}`, ingest, async (req, res) => {
      const { writeKey: _key, ...body } = objectBody(req);
      if (body.type !== undefined && body.type !== type) throw new ValidationError(`invalid event`, [{ path: ['type'], message: `must be "${type}" on /v1/${type}` }]);
      const result = await attune.ingest({ ...body, type });
      res.json({ success: true, accepted: result.accepted.length, duplicates: result.duplicates.length });
    });
  }

  // `/v1/b` is Segment's short name for batch; some clients post there.
  r.post(['/batch', '/b'], ingest, async (req, res) => {
    const { writeKey: _key, ...body } = objectBody(req);
    const result = await attune.batch(body);
    res.json({ success: true, accepted: result.accepted.length, duplicates: result.duplicates.length });
  });

  experimentRoutes(r, attune, { read, admin });

  r.get('/users/:id/profile', read, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const profile = await attune.profile(id);
    if (!profile) return res.status(404).json({ error: 'not_found', message: `no profile for user ${id}` });
    res.json({ profile, segments: await attune.segmentsOf(id) });
  });

  r.get('/users/:id/segments', read, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    res.json({ userId: id, segments: await attune.segmentsOf(id) });
  });

  r.get('/users/:id/recommendations', read, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const q = parse(RecommendQuery, req.query, 'query');
    const recommendations = await attune.recommend(id, { k: q.k, context: { locale: q.locale, channel: q.channel } });
    res.json({ userId: id, recommendations });
  });

  const actor = (req: HttpRequest): Actor => ({ actor: callerOf(req)?.keyId ?? 'unauthenticated' });

  r.put('/users/:id/consent', admin, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const consent = await attune.setConsent(id, parseConsentBody(objectBody(req), PURPOSES));
    await audit(attune, actor(req), 'user.consent.update', attune.userKey(id), 'success', Object.fromEntries(Object.entries(consent)));
    res.json({ userId: id, consent });
  });

  r.get('/users/:id/export', admin, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const data = await attune.export(id);
    await audit(attune, actor(req), 'user.export', data.userIds[0], 'success', { events: data.events.length });
    res.set('Content-Disposition', 'attachment; filename="attune-export.json"').json(data);
  });

  r.delete('/users/:id', admin, async (req, res) => {
    const { id } = parse(UserParams, req.params, 'path');
    const result = await attune.erase(id, actor(req));
    res.json({ erased: true, ...result });
  });

  return r;
}
