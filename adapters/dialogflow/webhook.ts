import type { RequestHandler } from 'express';
import { ConfigError, ValidationError } from '../../src/core/errors';
import type { Reply } from '../../src/core/turn';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { AuthThrottle } from '../http/auth-throttle';
import { BODY_LIMITS, jsonBody, objectBody } from '../http/body';
import { sendErrorFor, sendJson } from '../http/errors';
import { type RateLimiter, rateLimiter } from '../http/rate-limit';
import type { Edge, EdgeRoute } from '../http/server';
import type { HttpMiddleware, HttpRequest, HttpResponse } from '../http/types';
import { webhookGuard } from '../http/webhook-guard';
import { type DialogflowAuth, validateWebhookAuth, webhookCredentials } from './auth';
import { cxAgentText, cxParameters, cxQueryText, cxResponse, cxTurn } from './cx';
import { CxWebhookRequestSchema, type CxWebhookRequest } from './cx-schema';
import { DIALOGFLOW_DOCS } from './docs';
import { SessionEntities, type SessionEntitiesOptions } from './entities';
import { esAgentText, esResponse, esTurn } from './es';
import { EsWebhookRequestSchema, type EsWebhookRequest } from './es-schema';
import { type DialogflowHandler, fulfill } from './fulfill';
import { cxUserId, esUserId } from './identity';

/** Options of {@link dialogflowWebhook}. */
export interface DialogflowWebhookOptions {
  /** ES: your handlers by intent display name. */
  intents?: Record<string, DialogflowHandler>;
  /** CX: your handlers by fulfillment tag. */
  tags?: Record<string, DialogflowHandler>;
  /** Attach recommendations when no handler decides (default: the recommend stage's policy decides). */
  recommend?: Reply['recommend'];
  /**
   * Credentials Dialogflow must send (basic auth and/or headers), or `'open'` for none
   * (loopback clients only, for local development). Without it every call gets a 401.
   */
  auth?: DialogflowAuth;
  /** Budget per client address (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`, else 600 a minute). */
  limiter?: RateLimiter;
  /** Throttle of clients that keep failing to authenticate (default: 10 failures a minute). */
  authThrottle?: AuthThrottle;
  /** ES: push recommended products and favourite categories as session entities. */
  sessionEntities?: SessionEntitiesOptions;
  /** Maps a request to the user id Attune keys data by (default: the platform user, else the session). */
  userId?: (request: { edition: 'es'; body: EsWebhookRequest } | { edition: 'cx'; body: CxWebhookRequest }) => string | undefined;
  /** Lifespan of the ES `attune` output context, in turns (default 50). */
  contextLifespan?: number;
  /** How many recommendation ids go into the context / session parameters (default 5). */
  k?: number;
}

/** The webhook handler, with the session-entity pusher to flush on shutdown. */
export type DialogflowWebhook = RequestHandler & { sessionEntities?: SessionEntities };

const CX_KEYS = ['sessionInfo', 'fulfillmentInfo', 'detectIntentResponseId'];

/**
 * One Express handler for Dialogflow ES (v2) and CX (v3) fulfillment webhooks, told apart by
 * their shape (`queryResult` vs `sessionInfo`/`fulfillmentInfo`). Each request runs as an
 * Attune turn; the reply is the agent's own text (or your handler's) in the user's tone, with
 * recommendations in the integration's rich format and the personalization in an `attune`
 * output context (ES) or session parameters (CX). Missing or wrong credentials → 401 (and
 * every call, when no `auth` is given); too many calls or failed attempts → 429; a malformed
 * body → 400 saying what is wrong. A half-configured `auth` throws a ConfigError here.
 *
 * ```ts
 * app.post('/dialogflow', dialogflowWebhook(attune, {
 *   auth: { headers: { 'x-webhook-secret': process.env.DIALOGFLOW_SECRET! } },
 *   intents: { 'browse.products': () => ({ text: 'Here are some ideas:', recommend: { k: 3 } }) },
 *   tags: { recommend: () => ({ recommend: { style: 'carousel' } }) },
 * }));
 * ```
 */
export function dialogflowWebhook(attune: Attune, options: DialogflowWebhookOptions = {}): DialogflowWebhook {
  const guard = dialogflowGuard(attune, options);
  const json = jsonBody({ limit: BODY_LIMITS.default, logger: attune.logger, where: 'attune/dialogflow' });
  const entities = options.sessionEntities ? new SessionEntities(options.sessionEntities, attune.logger) : undefined;
  const k = options.k ?? 5;
  const now = () => new Date(attune.clock());

  async function es(body: EsWebhookRequest, res: HttpResponse): Promise<void> {
    const userId = options.userId?.({ edition: 'es', body }) ?? esUserId(body);
    const q = body.queryResult;
    const intent = q.intent?.displayName;
    const agentText = esAgentText(body);
    const base = { request: { edition: 'es' as const, body }, intent, parameters: q.parameters, queryText: q.queryText, agentText };
    const f = await fulfill(attune, esTurn(body, userId, now()), base, intent ? options.intents?.[intent] : undefined, options.recommend);
    sendJson(res, 200, esResponse(body, f, { contextLifespan: options.contextLifespan ?? 50, k }));
    // After the reply: Dialogflow is not kept waiting on Google's API.
    if (!f.ctx.degraded) entities?.push(body.session, f.ctx.personalization);
  }

  async function cx(body: CxWebhookRequest, res: HttpResponse): Promise<void> {
    const userId = options.userId?.({ edition: 'cx', body }) ?? cxUserId(body);
    const tag = body.fulfillmentInfo?.tag;
    const base = { request: { edition: 'cx' as const, body }, intent: body.intentInfo?.displayName, tag, parameters: cxParameters(body), queryText: cxQueryText(body), agentText: cxAgentText(body) };
    const f = await fulfill(attune, cxTurn(body, userId, now()), base, tag ? options.tags?.[tag] : undefined, options.recommend);
    sendJson(res, 200, cxResponse(body, f, k));
  }

  async function route(req: HttpRequest, res: HttpResponse): Promise<void> {
    const body = objectBody(req.body, 'a Dialogflow WebhookRequest JSON object');
    if ('queryResult' in body) return es(parse(EsWebhookRequestSchema, body, 'Dialogflow ES WebhookRequest'), res);
    if (CX_KEYS.some((key) => key in body)) return cx(parse(CxWebhookRequestSchema, body, 'Dialogflow CX WebhookRequest'), res);
    throw new ValidationError('not a Dialogflow WebhookRequest: expected queryResult (ES v2) or sessionInfo / fulfillmentInfo (CX v3)');
  }

  // Answered here, whatever the host app's error handler would say: a bad body or a failure
  // gets the edge's own error body, and the library's words go to the log only.
  const handler: DialogflowWebhook = (req, res, next) => guard(req, res, () => {
    json(req, res, (parseError?: unknown) => {
      if (parseError) return next(parseError);
      route(req, res).catch((err: unknown) => sendErrorFor(res, attune.logger, err, 'attune/dialogflow', {}, { hooks: attune.hooks, source: 'dialogflow' }));
    });
  });
  handler.sessionEntities = entities;
  return handler;
}

/**
 * The webhook as a route of `createServer` (mounted at `POST /dialogflow`): its budget per
 * client and its failed-auth throttle are the server's, unless given here.
 *
 * ```ts
 * createServer(attune, { apiKeys, dialogflow: dialogflowRoute({ auth: webhookAuthFromEnv(process.env), recommend: true }) });
 * ```
 */
export function dialogflowRoute(options: DialogflowWebhookOptions = {}): EdgeRoute {
  const route = (edge: Edge) => dialogflowWebhook(edge.attune, { ...options, limiter: options.limiter ?? edge.limiter(), authThrottle: options.authThrottle ?? edge.authThrottle });
  return Object.assign(route, { docs: DIALOGFLOW_DOCS });
}

/** Auth, rate limit and failed-auth throttle in front of the webhook; closed when no auth is given. */
function dialogflowGuard(attune: Attune, options: DialogflowWebhookOptions): HttpMiddleware {
  const auth = options.auth;
  if (auth !== undefined && auth !== 'open' && (typeof auth !== 'object' || auth === null)) throw new ConfigError('dialogflowWebhook: auth must be { basic?, headers? } or \'open\'');
  const credentials = auth === undefined || auth === 'open' ? undefined : validateWebhookAuth(auth);
  const check = credentials && webhookCredentials(credentials);
  if (auth === undefined) attune.logger.warn('attune/dialogflow: no webhook credentials configured, so every call is refused (401); pass auth (see webhookAuthFromEnv) or auth: \'open\' for local development');
  return webhookGuard({
    name: 'Dialogflow webhook',
    auth: auth === 'open' ? 'open' : (req) => check !== undefined && check(req),
    limiter: options.limiter ?? rateLimiter({ clock: attune.clock }),
    throttle: options.authThrottle ?? new AuthThrottle({ clock: attune.clock }),
    challenge: credentials?.basic ? 'Basic realm="attune-dialogflow"' : undefined,
  });
}
