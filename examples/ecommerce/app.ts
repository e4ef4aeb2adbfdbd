import { type CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { AttuneCloudAdapter, AttuneMiddleware } from '../../adapters/botbuilder';
import { type DialogflowAuth, dialogflowWebhook } from '../../adapters/dialogflow';
import { type RasaAuth, rasaActionServer } from '../../adapters/rasa';
import type { Attune } from '../../src/engine/attune';
import { apiRouter } from '../../adapters/http/api';
import { AuthThrottle } from '../../adapters/http/auth-throttle';
import type { ApiKeys } from '../../adapters/http/api-keys';
import { errorHandler } from '../../adapters/http/errors';
import { healthHandler } from '../../adapters/http/health';
import { limitByClient, rateLimiter } from '../../adapters/http/rate-limit';
import { ShopBot } from './bot';

/** Options of {@link createShopApp}. */
export interface ShopAppOptions {
  /** Bot Framework credentials (MicrosoftAppId, MicrosoftAppPassword, …); none for the Emulator. */
  botAuth?: ConfigurationBotFrameworkAuthenticationOptions;
  /** API keys of the REST API (`false`, the default here: no authentication, for tests; `npm start` always passes keys). */
  apiKeys: ApiKeys | false;
  /** Credentials of `/dialogflow`, or `'open'` (loopback only); without them every call gets a 401. */
  dialogflowAuth?: DialogflowAuth;
  /** Token of `/rasa/webhook` (Rasa's `action_endpoint.token`), or `'open'` (loopback only); without it every call gets a 401. */
  rasaAuth?: RasaAuth;
  /** Requests per minute per API key on `/v1`, per client elsewhere (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`, else 600). */
  ratePerMinute?: number;
  /** Failed authentications a client may make per minute on any edge before it must wait (default 10). */
  authFailuresPerMinute?: number;
}

/**
 * The e-commerce case study as an Express app: the shop bot on `/api/messages` (Bot Framework
 * CloudAdapter with Attune's middleware), Attune's REST API on `/v1`, Dialogflow fulfillment on
 * `/dialogflow`, a Rasa action server under `/rasa`, and `/healthz`. Every edge is
 * rate-limited; the webhooks refuse calls unless given credentials or explicit open mode.
 */
export function createShopApp(attune: Attune, options: ShopAppOptions = { apiKeys: false }): { app: Express; adapter: CloudAdapter } {
  const adapter = new AttuneCloudAdapter(new ConfigurationBotFrameworkAuthentication(options.botAuth ?? {}), { logger: attune.logger });
  adapter.use(new AttuneMiddleware(attune));
  adapter.onTurnError = async (context, error) => {
    attune.logger.error({ err: error }, 'shop bot: unhandled error in the turn');
    // The apology may fail the same way (the connector is unreachable): logged, not rethrown,
    // so that the channel gets its 200 and a library's message never reaches a response.
    await context.sendActivity('Sorry, something went wrong on my side.').catch((err: unknown) => attune.logger.error({ err }, 'shop bot: could not send the apology'));
  };
  const bot = new ShopBot(attune);

  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  const perMinute = options.ratePerMinute;
  // One throttle for every edge: a guesser gets its tries once, not once per endpoint.
  const authThrottle = new AuthThrottle({ maxFailures: options.authFailuresPerMinute, clock: attune.clock });
  // Bot Framework authenticates with its own JWTs, so the budget is per client address.
  app.post('/api/messages', limitByClient(rateLimiter({ perMinute, clock: attune.clock })), express.json({ limit: '1mb' }), adapter.messages((context) => bot.run(context)));
  app.get('/healthz', healthHandler(attune));
  app.use('/v1', apiRouter(attune, { keys: options.apiKeys, ratePerMinute: perMinute, authThrottle }));
  // Dialogflow ES and CX fulfillment; every reply carries recommendations in the demo.
  app.post('/dialogflow', dialogflowWebhook(attune, { auth: options.dialogflowAuth, recommend: true, limiter: rateLimiter({ perMinute, clock: attune.clock }), authThrottle }));
  // Rasa's endpoints.yml: action_endpoint: { url: "http://localhost:3978/rasa/webhook", token: "<ATTUNE_RASA_TOKEN>" }
  app.use('/rasa', rasaActionServer(attune, { auth: options.rasaAuth, limiter: rateLimiter({ perMinute, clock: attune.clock }), authThrottle }));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorHandler(attune.logger));
  return { app, adapter };
}
