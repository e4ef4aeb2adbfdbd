import type { Server } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { Attune } from '../../src/engine/attune';
import { apiRouter } from './api';
import { apiKeyAuth, type ApiKeys } from './api-keys';
import type { ExperimentLookup } from './experiment-results';
import { AuthThrottle } from './auth-throttle';
import { cors, corsOriginsFromEnv } from './cors';
import { createDashboard, type Dashboard } from './dashboard/dashboard';
import { dashboardRouter } from './dashboard/route';
import { errorHandler, sendError } from './errors';
import { healthHandler, livezHandler, readyzHandler } from './health';
import { metricsHandler, metricsPublicFromEnv } from './metrics';
import { docsPageHandler, openApiHandler } from './openapi';
import { limitByClient, type RateLimiter, rateLimiter } from './rate-limit';
import { documented, type PathDocs, RouteDocs } from './route-docs';
import { securityHeaders } from './security-headers';
import { errorResponses, HealthAnswerSchema, jsonResponse, LiveAnswerSchema, ReadyAnswerSchema } from './schemas';
import { checkTrustProxy, type TrustProxy, trustProxyFromEnv } from './trust-proxy';

/**
 * What every route of one server shares. An adapter's route takes it when the server is
 * built, so the throttle of failed authentications is one for the whole server and each
 * route's budget has the server's size.
 */
export interface Edge {
  readonly attune: Attune;
  /** One throttle for every edge: a guesser gets its tries once, not once per endpoint. */
  readonly authThrottle: AuthThrottle;
  /** A fresh budget of the server's rate per client, for one route (each route has its own). */
  limiter(): RateLimiter;
}

/**
 * A framework's endpoint, as its adapter hands it to {@link createServer}: given the edge,
 * the handlers to mount, in order (rate limit, body parser, the translator).
 *
 * ```ts
 * const dialogflow: EdgeRoute = (edge) => dialogflowWebhook(edge.attune, { auth, limiter: edge.limiter(), authThrottle: edge.authThrottle });
 * ```
 */
export interface EdgeRoute {
  (edge: Edge): RequestHandler | readonly RequestHandler[];
  /**
   * What the endpoint takes and answers, by path relative to where it is mounted (`/` for
   * the mount point): the server's OpenAPI document shows it. A route without docs is missing
   * from the document, and the server's tests fail on it.
   */
  readonly docs?: PathDocs;
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  /**
   * API keys of `/v1` (see `parseApiKeys`, `resolveApiKeys`), or `false` to serve it without
   * authentication: only behind your own auth, or in tests.
   */
  apiKeys: ApiKeys | false;
  /**
   * Requests a minute per API key on `/v1`, per client address on every other route
   * (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`, else 600).
   */
  ratePerMinute?: number;
  /** Failed authentications a client may make a minute, on all routes together, before it must wait (default 10). */
  authFailuresPerMinute?: number;
  /** `POST /api/messages`: `adapter.route(logic)` of an `AttuneCloudAdapter` (`attune/botbuilder`). */
  botFramework?: EdgeRoute;
  /** `POST /dialogflow`: `dialogflowRoute(options)` (`attune/dialogflow`). */
  dialogflow?: EdgeRoute;
  /** `/rasa/*`: `rasaRoute(options)` (`attune/rasa`), Rasa's action server. */
  rasa?: EdgeRoute;
  /** Origins whose pages may call `/v1` (CORS; default `ATTUNE_CORS_ORIGINS`, else none). */
  corsOrigins?: readonly string[];
  /** Where `GET /v1/experiments/:id/results` finds definitions (default: the engine's registry). */
  experiments?: ExperimentLookup;
  /** `GET /metrics`: the registry of `createMetrics()` (whose hooks the engine was given). */
  metrics?: { readonly registry: Registry };
  /** Serve `/metrics` without the admin key (default: `ATTUNE_METRICS_PUBLIC=1`). */
  metricsPublic?: boolean;
  /** How long `/readyz` waits for the store's ping (default 1000 ms). */
  readyDeadlineMs?: number;
  /**
   * `/dashboard`: the operator's page, its data for `admin` keys (the same `apiKeys`). Give
   * `createDashboard(attune, { registry })` to show the metrics of that Registry and to add
   * panels; default: a dashboard of the store's data, its metric panels at zero; `false`: none.
   */
  dashboard?: Dashboard | false;
  /**
   * The reverse proxies whose `X-Forwarded-For` names the client (default `ATTUNE_TRUST_PROXY`,
   * else none): a hop count or their addresses, see {@link TrustProxy}. Behind a proxy without
   * it, every client has the proxy's address and shares one budget.
   */
  trustProxy?: TrustProxy;
}

const asList = (h: RequestHandler | readonly RequestHandler[]): RequestHandler[] => (Array.isArray(h) ? [...h] : [h as RequestHandler]);

/**
 * The one HTTP server of Attune, for `attune serve`, the demo app and your own deployment:
 * `/healthz`, the REST API under `/v1` (ingestion, `POST /v1/turns` for any HTTP bot,
 * profiles, recommendations, consent, export, erasure), the operator's `/dashboard`, and the Bot Framework, Dialogflow and
 * Rasa endpoints when their routes are given. Every route is rate-limited; failed
 * authentications are throttled per client across all of them; unknown routes get a 404 and
 * every error a body of our own. Where it may listen is decided before, by `resolveListen`.
 *
 * ```ts
 * const app = createServer(attune, { apiKeys: resolveApiKeys().keys, rasa: rasaRoute({ auth: rasaAuthFromEnv(process.env) }) });
 * await listen(app, { port: 3978, host: '127.0.0.1' });
 * ```
 */
export function createServer(attune: Attune, options: ServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Before any route: every per-client limit reads the address Express derives from it.
  const trustProxy = options.trustProxy === undefined ? trustProxyFromEnv() : checkTrustProxy(options.trustProxy);
  app.set('trust proxy', trustProxy);
  // helmet's headers, computed once: the same on every answer.
  app.use(securityHeaders());
  const { ratePerMinute } = options;
  const authThrottle = new AuthThrottle({ maxFailures: options.authFailuresPerMinute, clock: attune.clock });
  const edge: Edge = { attune, authThrottle, limiter: () => rateLimiter({ perMinute: ratePerMinute, clock: attune.clock }) };
  // Every route registers with its documentation: what is mounted is what /openapi.json shows.
  const docs = new RouteDocs();
  const route = documented(app, docs);
  const mount = (path: string, edgeRoute: EdgeRoute, use: (handlers: RequestHandler[]) => void) => {
    use(asList(edgeRoute(edge)));
    if (edgeRoute.docs) docs.mount(path, edgeRoute.docs);
  };
  // The REST API's busiest routes first, on the app itself (see `ApiOptions.direct`): they pass
  // the security headers, CORS, the key check and the rate limit, and nothing else of the app.
  const v1Cors = cors(options.corsOrigins ?? corsOriginsFromEnv());
  const v1 = apiRouter(attune, { keys: options.apiKeys, ratePerMinute, authThrottle, experiments: options.experiments, docs: docs.scope('/v1'), direct: { app, prefix: '/v1', before: [v1Cors] } });
  if (options.botFramework) mount('/api/messages', options.botFramework, (h) => app.post('/api/messages', ...h));
  const probes = { tags: ['operations'] };
  route.get('/healthz', { ...probes, summary: 'Health: whether the store answers', description: '503 while the store is down: the bot still answers, unpersonalized.', responses: { 200: jsonResponse('healthy', HealthAnswerSchema), 503: jsonResponse('degraded', HealthAnswerSchema) } }, healthHandler(attune));
  route.get('/livez', { ...probes, summary: 'Liveness: the process answers', description: 'Asks nothing of the store, so that an outage does not restart every replica.', responses: { 200: jsonResponse('alive', LiveAnswerSchema) } }, livezHandler());
  route.get(
    '/readyz',
    { ...probes, summary: 'Readiness: the store answers a ping in time', responses: { 200: jsonResponse('ready', ReadyAnswerSchema), 503: jsonResponse('not ready: the store failed, was slow, or its circuit is open', ReadyAnswerSchema) } },
    readyzHandler(attune, { deadlineMs: options.readyDeadlineMs }),
  );
  if (options.metrics) {
    const open = options.metricsPublic ?? metricsPublicFromEnv();
    const limiter = edge.limiter();
    const guard = options.apiKeys && !open ? apiKeyAuth({ keys: options.apiKeys, limiter, authThrottle, clock: attune.clock }).requireRole('admin') : limitByClient(limiter);
    route.get(
      '/metrics',
      {
        ...probes,
        summary: 'Prometheus metrics',
        description: 'Turn and stage durations, turns by outcome, degraded turns, events ingested, refused input, recommendations shown and clicked, segment changes, store errors, process metrics. The admin key is required unless ATTUNE_METRICS_PUBLIC=1.',
        security: open ? [] : [{ bearer: [] }, { apiKey: [] }],
        responses: { 200: { description: 'the text exposition format', content: { 'text/plain; version=0.0.4': { schema: z.string() } } }, ...errorResponses(401, 403, 429) },
      },
      guard,
      metricsHandler(options.metrics.registry),
    );
  }
  app.use('/v1', v1Cors);
  app.use('/v1', v1);
  if (options.dialogflow) mount('/dialogflow', options.dialogflow, (h) => app.post('/dialogflow', ...h));
  if (options.rasa) mount('/rasa', options.rasa, (h) => app.use('/rasa', ...h));
  if (options.dashboard !== false) {
    const dashboard = options.dashboard ?? createDashboard(attune, options.metrics ? { registry: options.metrics.registry } : {});
    app.use('/dashboard', dashboardRouter(dashboard, { keys: options.apiKeys, authThrottle, limiter: edge.limiter, clock: attune.clock, docs: docs.scope('/dashboard') }));
  }
  route.get('/openapi.json', { ...probes, summary: 'This document (OpenAPI 3.1)', responses: { 200: { description: 'the document', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } } } }, openApiHandler(docs));
  route.get('/docs', { ...probes, summary: 'This document as a page', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } } }, docsPageHandler(docs));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such route'));
  app.use(errorHandler(attune.logger, attune.hooks));
  return app;
}

/**
 * Starts listening, and resolves once the server does (rejects when it cannot: the port is
 * taken, the address is not this machine's).
 *
 * ```ts
 * const server = await listen(createServer(attune, { apiKeys }), { port: 3978, host: '127.0.0.1' });
 * ```
 */
export function listen(app: Express, at: { port: number; host: string }): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(at.port, at.host);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
    server.once('error', reject);
  });
}
