import express, { type Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors';
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
import { recommendationsHandler, RecommendQuery, UserParams } from './recommendations';
import { documented, RouteDocs } from './route-docs';
import { ConsentAnswerSchema, EraseAnswerSchema, errorResponses, ExportAnswerSchema, IngestAnswerSchema, jsonResponse, ProfileAnswerSchema, RecommendationsAnswerSchema, SegmentsAnswerSchema, TurnResultSchema } from './schemas';
import { turnsHandler } from './turns';
import type { RequestHandler } from 'express';
import type { HttpMiddleware, HttpRequest } from './types';

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
  /**
   * Register the busiest routes (recommendations, the single Segment calls) on the app itself,
   * at their full path, rather than in the router: a request to them then passes no mount
   * (whose path rewriting cost more than some of its handlers) and none of the app's other
   * routes, only what applies to it. See {@link DirectRoutes}.
   */
  direct?: DirectRoutes;
}

/**
 * Where {@link apiRouter} registers its busiest routes directly (see `ApiOptions.direct`):
 * the app, the prefix the router is mounted at, and what the app runs on that prefix before
 * the router (CORS), which those routes then run first. Register them before the app's other
 * routes: the app tries its routes in order.
 */
export interface DirectRoutes {
  app: { [M in 'get' | 'post']: (path: string, ...handlers: RequestHandler[]) => unknown };
  /** Where the router itself is mounted (`/v1`). */
  prefix: string;
  /** The app's handlers of `prefix` that come before the router, in order. */
  before: readonly HttpMiddleware[];
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
  // One limiter for the whole router: a key's budget is the same whichever route it calls.
  const limiter = options.limiter ?? rateLimiter({ perMinute: options.ratePerMinute, clock: attune.clock });
  const auth = options.keys ? apiKeyAuth({ keys: options.keys, limiter, authThrottle: options.authThrottle, clock: attune.clock }) : undefined;
  const unauthenticated = limitByClient(limiter);
  const role = (name: Role): HttpMiddleware => (auth ? auth.requireRole(name) : unauthenticated);
  const ingest = role('ingest');
  const read = role('read');
  const admin = role('admin');
  const body = jsonBody({ limit: BODY_LIMITS.default, logger: attune.logger, types: SEGMENT_BODY_TYPES });
  r.use(body);
  const docs = options.docs ?? new RouteDocs('/v1');
  const route = documented(r, docs);
  // The busiest routes first; directly on the app when asked, behind what the router's requests pass (CORS, the body parser).
  const hot = options.direct ? documented(directTarget(options.direct, body), docs) : route;

  hot.get(
    '/users/:id/recommendations',
    {
      summary: 'Recommendations for a user, outside a turn',
      description: 'With a weak ETag; `If-None-Match` with it is answered 304. Role `read`.',
      tags: ['users'],
      security: API_KEY_SECURITY,
      requestParams: { path: UserParams, query: RecommendQuery },
      responses: { 200: jsonResponse('best first', RecommendationsAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) },
    },
    read,
    recommendationsHandler(attune),
  );

  for (const type of ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const) {
    hot.post(
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

/** The target that registers a route of the router directly on the app, at its full path, behind what the router's requests pass. */
function directTarget(direct: DirectRoutes, body: HttpMiddleware): Parameters<typeof documented>[0] {
  const register =
    (method: 'get' | 'post') =>
    (path: string | string[], ...handlers: RequestHandler[]): void => {
      if (typeof path !== 'string') throw new TypeError('a direct route has one path');
      direct.app[method](`${direct.prefix}${path}`, ...direct.before, body, ...handlers);
    };
  const refuse = () => {
    throw new TypeError('only GET and POST routes are registered directly');
  };
  return { get: register('get'), post: register('post'), put: refuse, delete: refuse };
}
