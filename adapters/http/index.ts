/**
 * `attune/http`: Attune's HTTP edge. `createServer` serves `/healthz`, `/livez`, `/readyz`,
 * `/metrics` (given `createMetrics()`), `/openapi.json` and `/docs`, the REST API under
 * `/v1` (with `POST /v1/turns` for any HTTP bot) and, when given their routes, the Bot
 * Framework, Dialogflow and Rasa endpoints; the pieces it is made of (auth schemes, limits,
 * body parsing, the error table, the bind policy) are here for servers of your own.
 *
 * ```ts
 * import { createAttune } from 'attune';
 * import { createServer, listen, resolveApiKeys, resolveListen } from 'attune/http';
 * const attune = createAttune({ catalog: require('./catalog.json') });
 * const { host } = resolveListen({ host: process.env.HOST, authConfigured: { '/v1': true } });
 * await listen(createServer(attune, { apiKeys: resolveApiKeys().keys }), { port: 3978, host });
 * ```
 */

// The server
export { createServer, listen } from './server';
export type { Edge, EdgeRoute, ServerOptions } from './server';
export { apiRouter } from './api';
export type { ApiOptions } from './api';
export { turnsHandler } from './turns';
export { experimentResultsHandler } from './experiment-results';
export type { ExperimentLookup } from './experiment-results';
export { healthHandler, livezHandler, readyzHandler } from './health';
export type { ReadyzOptions } from './health';
export { metricsHandler, metricsPublicFromEnv } from './metrics';

// OpenAPI: routes registered with their documentation
export { docsPageHandler, openApiDocument, openApiHandler } from './openapi';
export type { OpenApiDocument, OpenApiInfo } from './openapi';
export { documented, openApiPath, RouteDocs } from './route-docs';
export type { DocumentedRoutes, Method, OperationDoc, PathDocs } from './route-docs';
export { ErrorBodySchema, errorResponses, jsonResponse, TurnResultSchema } from './schemas';
export { ingestSource, requestSource } from './source';

// Structural request and response
export type { CredentialCheck, HttpMiddleware, HttpNext, HttpRequest, HttpResponse } from './types';

// Auth
export { apiKeyAuth, callerOf, describeGeneratedKeys, generateApiKeys, parseApiKeys, resolveApiKeys } from './api-keys';
export type { ApiKeyAuth, ApiKeys, AuthOptions, Caller, ResolvedKeys, Role } from './api-keys';
export { allOf, basicAuth, headerOf, headerSecrets, queryParam, queryToken, requireSecret, sameSecret } from './auth-schemes';
export { webhookGuard, webhookOpenFromEnv } from './webhook-guard';
export type { WebhookGuardOptions } from './webhook-guard';

// Limits
export { AuthThrottle } from './auth-throttle';
export type { AuthThrottleOptions } from './auth-throttle';
export { clientAddress, DEFAULT_RATE_PER_MINUTE, limitByClient, ratePerMinuteFromEnv, rateLimiter, sendRateLimited, TokenBuckets } from './rate-limit';
export type { RateLimiter, RateLimiterOptions, TokenBucketsOptions } from './rate-limit';
export { BODY_LIMITS, jsonBody, objectBody } from './body';
export type { JsonBodyOptions } from './body';

// Errors and statuses
export { answerFor, clientErrorOf, errorHandler, HTTP_STATUS, sendError, sendErrorFor, sendJson, sendUnauthenticated } from './errors';
export type { ClientError, ErrorAnswer, RefusalObserver } from './errors';

// Behind a reverse proxy
export { checkTrustProxy, trustProxyFromEnv } from './trust-proxy';
export type { TrustProxy } from './trust-proxy';

// Where to listen
export { isLoopback, LOOPBACK_HOST, resolveListen } from './bind';
export type { ListenAddress, ListenPolicy } from './bind';

// The operator's dashboard
export { createDashboard, Dashboard } from './dashboard/dashboard';
export type { DashboardData, DashboardOptions, DashboardSource } from './dashboard/dashboard';
export { PanelRegistry } from './dashboard/panels';
export { fairnessPanel } from './dashboard/fairness-panel';
export type { FairnessPanelSource } from './dashboard/fairness-panel';
export type { BarData, BarPanel, LineData, LinePanel, Panel, PanelView, TableData, TablePanel } from './dashboard/panels';
export { dashboardRouter, DASHBOARD_CSP } from './dashboard/route';
export type { DashboardRouteOptions } from './dashboard/route';
