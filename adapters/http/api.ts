import express, { type Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors';
import { RecommendFilterSchema } from '../../src/core/filter';
import { BatchInputSchema, EVENT_SCHEMAS } from '../../src/core/event';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { TurnRequestSchema } from '../../src/engine/turn-request';
import { ConsentBodySchema, parseConsentBody, PURPOSES } from '../../src/privacy/consent';
import { audit, type Actor } from '../../src/privacy/rights';
import { apiKeyAuth, type ApiKeys, callerOf, type Role } from './api-keys';
import type { AuthThrottle } from './auth-throttle';
import { BODY_LIMITS, jsonBody, objectBody as bodyObject } from './body';
import { experimentRoutes } from './experiments';
import { ExperimentResultsAnswerSchema, experimentResultsHandler, type ExperimentLookup, ExperimentResultsParams, ExperimentResultsQuery, registryLookup } from './experiment-results';
import { rankRoutes } from './rank';
import { reviewRoutes } from './review';
import { limitByClient, type RateLimiter, rateLimiter } from './rate-limit';
import { ingestSource } from './source';
import { documented, RouteDocs } from './route-docs';
import { ConsentAnswerSchema, EraseAnswerSchema, errorResponses, ExportAnswerSchema, IngestAnswerSchema, jsonResponse, ProfileAnswerSchema, RecommendationsAnswerSchema, SegmentsAnswerSchema, TurnResultSchema } from './schemas';
import { turnsHandler } from './turns';
import type { HttpMiddleware, HttpRequest } from './types';

/** A comma-separated (or repeated) query parameter as a list: `?category=yoga,running`. */
const list = z
  .union([z.string().max(2048), z.array(z.string().max(2048)).max(32)])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(RecommendFilterSchema.shape.categories.unwrap());

const RecommendQuery = z.object({
  k: z.coerce.number().int().min(1).max(100).default(10),
  locale: z.string().max(35).optional(),
  channel: z.string().max(64).optional(),
  maxPrice: z.coerce.number().nonnegative().optional(),
  minPrice: z.coerce.number().nonnegative().optional(),
  category: list.optional(),
  tag: list.optional(),
});

const UserParams = z.object({ id: z.string().min(1).max(512) });

/** What Segment's and RudderStack's clients label their JSON with (see {@link jsonBody}'s `types`). */
const SEGMENT_BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain'] as const;

const objectBody = (req: HttpRequest) => bodyObject(req.body);

/** How the REST API's keys may be presented (see `apiKeyAuth`), as OpenAPI security requirements. */
const API_KEY_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];
/** Ingestion takes Segment's ways too: the writeKey as Basic auth username. */
const INGEST_SECURITY: Record<string, string[]>[] = [...API_KEY_SECURITY, { writeKey: [] }];

/** Segment's clients label JSON in several ways; the body is JSON in each. */
const segmentContent = (schema: z.ZodType) => Object.fromEntries(SEGMENT_BODY_TYPES.map((t) => [t, { schema }]));


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
  /** Where experiment definitions are found; with it, `GET /experiments/:id/results` is served (read role). */
  experiments?: ExperimentLookup;
  /** Where the routes document themselves (the server's OpenAPI document); default: a document of this router's own. */
  docs?: RouteDocs;
}

/**
 * The Attune REST API (`/v1`): Segment-compatible ingestion (`track`, `identify`, `page`,
 * `screen`, `alias`, `group`, `batch`), turns of any HTTP bot (`turns`), reads of profiles, segments and
 * recommendations, experiments (`experiments`), the review queue of sensitive items (`review`, with the engine's `review` option), and the user's rights (consent, export, erasure). Ids are the bot's user
 * ids, the same id space as the adapters.
 *
 * ```ts
 * app.use('/v1', apiRouter(attune));
 * ```
 */
export function apiRouter(attune: Attune, options: ApiOptions): Router {
  const r = express.Router();
  const route = documented(r, options.docs ?? new RouteDocs('/v1'));
  // One limiter for the whole router: a key's budget is the same whichever route it calls.
  const limiter = options.limiter ?? rateLimiter({ perMinute: options.ratePerMinute, clock: attune.clock });
  const auth = options.keys ? apiKeyAuth({ keys: options.keys, limiter, authThrottle: options.authThrottle, clock: attune.clock }) : undefined;
  const unauthenticated = limitByClient(limiter);
  const role = (name: Role): HttpMiddleware => (auth ? auth.requireRole(name) : unauthenticated);
  const ingest = role('ingest');
  const read = role('read');
  const admin = role('admin');
  r.use(jsonBody({ limit: BODY_LIMITS.default, logger: attune.logger, types: SEGMENT_BODY_TYPES }));

  route.post(
    '/turns',
    {
      summary: 'Personalize one turn of any HTTP bot',
      description: 'The user\'s message and context in; recommendations, tone, the draft reply rewritten in that tone, segments and variant out. When Attune cannot personalize, still a 200 with `degraded: true` and the draft as it was. Role `turns`.',
      tags: ['turns'],
      security: API_KEY_SECURITY,
      requestBody: { content: { 'application/json': { schema: TurnRequestSchema } } },
      responses: { 200: jsonResponse('what Attune decided for the turn', TurnResultSchema), ...errorResponses(400, 401, 403, 413, 429) },
    },
    role('turns'),
    turnsHandler(attune),
  );

  for (const type of ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const) {
    route.post(
      `/${type}`,
      {
        summary: `Ingest a Segment \`${type}\` call`,
        description: 'Segment-compatible: the official Segment and RudderStack clients send here unchanged (writeKey as Basic auth username or in the body). Role `ingest`.',
        tags: ['events'],
        security: INGEST_SECURITY,
        requestBody: { content: segmentContent(EVENT_SCHEMAS[type].extend({ type: z.literal(type).optional() })) },
        responses: { 200: jsonResponse('stored (or already seen)', IngestAnswerSchema), ...errorResponses(400, 401, 403, 413, 429, 503) },
      },
      ingest,
      async (req, res) => {
        const { writeKey, ...body } = objectBody(req);
        if (body.type !== undefined && body.type !== type) throw new ValidationError(`invalid event`, [{ path: ['type'], message: `must be "${type}" on /v1/${type}` }]);
        const result = await attune.ingest({ ...body, type }, { source: ingestSource(req, writeKey) });
        res.json({ success: true, accepted: result.accepted.length, duplicates: result.duplicates.length });
      },
    );
  }

  // `/v1/b` is Segment's short name for batch; some clients post there.
  route.post(
    ['/batch', '/b'],
    {
      summary: 'Ingest a Segment batch',
      description: 'Up to 1,000 events, validated whole before any is stored. `/v1/b` is Segment\'s short name for it. Role `ingest`.',
      tags: ['events'],
      security: INGEST_SECURITY,
      requestBody: { content: segmentContent(BatchInputSchema) },
      responses: { 200: jsonResponse('stored (or already seen)', IngestAnswerSchema), ...errorResponses(400, 401, 403, 413, 429, 503) },
    },
    ingest,
    async (req, res) => {
      const { writeKey, ...body } = objectBody(req);
      const result = await attune.batch(body, { source: ingestSource(req, writeKey) });
      res.json({ success: true, accepted: result.accepted.length, duplicates: result.duplicates.length });
    },
  );

  experimentRoutes(route, attune, { read, admin });
  rankRoutes(route, attune, role('turns'));
  // Only with the engine's `review` option: what is mounted is what the document shows.
  if (attune.review) reviewRoutes(route, attune.review, admin);
  // Results read the definition from the server's lookup, else from the registry.
  route.get(
    '/experiments/:id/results',
    {
      summary: 'An experiment\'s results from the event log',
      description: 'Users per variant, the sample-ratio check, and each metric\'s comparisons with intervals. `?alpha=0.05`. Role `read`.',
      tags: ['experiments'],
      security: API_KEY_SECURITY,
      requestParams: { path: ExperimentResultsParams, query: ExperimentResultsQuery },
      responses: { 200: jsonResponse('the results', ExperimentResultsAnswerSchema), ...errorResponses(400, 401, 403, 404, 429, 503) },
    },
    read,
    experimentResultsHandler(attune, options.experiments ?? registryLookup(attune)),
  );

  const user = { path: UserParams };
  route.get(
    '/users/:id/profile',
    { summary: 'A user\'s profile and segments', tags: ['users'], security: API_KEY_SECURITY, requestParams: user, responses: { 200: jsonResponse('the profile', ProfileAnswerSchema), ...errorResponses(400, 401, 403, 404, 429, 503) } },
    read,
    async (req, res) => {
      const { id } = parse(UserParams, req.params, 'path');
      const profile = await attune.profile(id);
      if (!profile) return res.status(404).json({ error: 'not_found', message: `no profile for user ${id}` });
      res.json({ profile, segments: await attune.segmentsOf(id) });
    },
  );

  route.get(
    '/users/:id/segments',
    { summary: 'The segments a user is in', tags: ['users'], security: API_KEY_SECURITY, requestParams: user, responses: { 200: jsonResponse('the segments', SegmentsAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) } },
    read,
    async (req, res) => {
      const { id } = parse(UserParams, req.params, 'path');
      res.json({ userId: id, segments: await attune.segmentsOf(id) });
    },
  );

  route.get(
    '/users/:id/recommendations',
    {
      summary: 'Recommendations for a user, outside a turn',
      tags: ['users'],
      security: API_KEY_SECURITY,
      requestParams: { ...user, query: RecommendQuery },
      responses: { 200: jsonResponse('best first', RecommendationsAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) },
    },
    read,
    async (req, res) => {
      const { id } = parse(UserParams, req.params, 'path');
      const q = parse(RecommendQuery, req.query, 'query');
      const filter = { maxPrice: q.maxPrice, minPrice: q.minPrice, categories: q.category, tags: q.tag };
      const recommendations = await attune.recommend(id, { k: q.k, context: { locale: q.locale, channel: q.channel }, filter });
      res.json({ userId: id, recommendations });
    },
  );

  const actor = (req: HttpRequest): Actor => ({ actor: callerOf(req)?.keyId ?? 'unauthenticated' });

  route.put(
    '/users/:id/consent',
    {
      summary: 'Record a user\'s consent decisions',
      description: `Purposes to booleans (known: ${PURPOSES.join(', ')}); takes effect on the user's next turn. Granting a purpose is the one way back for an erased user. Audited. Role \`admin\`.`,
      tags: ['rights'],
      security: API_KEY_SECURITY,
      requestParams: user,
      requestBody: { content: { 'application/json': { schema: ConsentBodySchema } } },
      responses: { 200: jsonResponse('the consent now', ConsentAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) },
    },
    admin,
    async (req, res) => {
      const { id } = parse(UserParams, req.params, 'path');
      const consent = await attune.setConsent(id, parseConsentBody(objectBody(req), PURPOSES));
      await audit(attune, actor(req), 'user.consent.update', attune.userKey(id), 'success', Object.fromEntries(Object.entries(consent)));
      res.json({ userId: id, consent });
    },
  );

  route.get(
    '/users/:id/export',
    { summary: 'Everything held about a user (GDPR Art. 15, 20)', description: 'Audited. Role `admin`.', tags: ['rights'], security: API_KEY_SECURITY, requestParams: user, responses: { 200: jsonResponse('the export, as an attachment', ExportAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) } },
    admin,
    async (req, res) => {
      const { id } = parse(UserParams, req.params, 'path');
      const data = await attune.export(id);
      await audit(attune, actor(req), 'user.export', data.userIds[0], 'success', { events: data.events.length });
      res.set('Content-Disposition', 'attachment; filename="attune-export.json"').json(data);
    },
  );

  route.delete(
    '/users/:id',
    {
      summary: 'Erase a user (GDPR Art. 17)',
      description: 'From every store, cache and model; their late events and later turns are suppressed until they consent again. Audited. Role `admin`.',
      tags: ['rights'],
      security: API_KEY_SECURITY,
      requestParams: user,
      responses: { 200: jsonResponse('erased', EraseAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) },
    },
    admin,
    async (req, res) => {
      const { id } = parse(UserParams, req.params, 'path');
      const result = await attune.erase(id, actor(req));
      res.json({ erased: true, ...result });
    },
  );

  return r;
}
