import type { Server } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Attune } from '../../src/engine/attune';
import { apiRouter } from './api';
import type { ApiKeys } from './api-keys';
import { AuthThrottle } from './auth-throttle';
import { cors, corsOriginsFromEnv } from './cors';
import { createDashboard, type Dashboard } from './dashboard/dashboard';
import { dashboardRouter } from './dashboard/route';
import { errorHandler, sendError } from './errors';
import { healthHandler } from './health';
import { type RateLimiter, rateLimiter } from './rate-limit';
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
export type EdgeRoute = (edge: Edge) => RequestHandler | readonly RequestHandler[];

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
  app.use(helmet());
  const { ratePerMinute } = options;
  const authThrottle = new AuthThrottle({ maxFailures: options.authFailuresPerMinute, clock: attune.clock });
  const edge: Edge = { attune, authThrottle, limiter: () => rateLimiter({ perMinute: ratePerMinute, clock: attune.clock }) };
  if (options.botFramework) app.post('/api/messages', ...asList(options.botFramework(edge)));
  app.get('/healthz', healthHandler(attune));
  app.use('/v1', cors(options.corsOrigins ?? corsOriginsFromEnv()));
  app.use('/v1', apiRouter(attune, { keys: options.apiKeys, ratePerMinute, authThrottle }));
  if (options.dialogflow) app.post('/dialogflow', ...asList(options.dialogflow(edge)));
  if (options.rasa) app.use('/rasa', ...asList(options.rasa(edge)));
  if (options.dashboard !== false) {
    const dashboard = options.dashboard ?? createDashboard(attune);
    app.use('/dashboard', dashboardRouter(dashboard, { keys: options.apiKeys, authThrottle, limiter: edge.limiter, clock: attune.clock }));
  }
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such route'));
  app.use(errorHandler(attune.logger));
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
