import { type CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { AttuneCloudAdapter, AttuneMiddleware } from '../../adapters/botbuilder';
import { dialogflowWebhook, webhookAuthFromEnv } from '../../adapters/dialogflow';
import { rasaActionServer } from '../../adapters/rasa';
import type { Attune } from '../../src/engine/attune';
import { apiRouter } from '../../src/server/api';
import type { ApiKeys } from '../../src/server/auth';
import { errorHandler } from '../../src/server/errors';
import { healthHandler } from '../../src/server/health';
import { ShopBot } from './bot';

/** Options of {@link createShopApp}. */
export interface ShopAppOptions {
  /** Bot Framework credentials (MicrosoftAppId, MicrosoftAppPassword, …); none for the Emulator. */
  botAuth?: ConfigurationBotFrameworkAuthenticationOptions;
  /** API keys of the REST API (`false`, the default here: no authentication, for tests; `npm start` always passes keys). */
  apiKeys: ApiKeys | false;
}

/**
 * The e-commerce case study as an Express app: the shop bot on `/api/messages` (Bot Framework
 * CloudAdapter with Attune's middleware), Attune's REST API on `/v1`, and `/healthz`.
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
  app.post('/api/messages', express.json({ limit: '1mb' }), adapter.messages((context) => bot.run(context)));
  app.get('/healthz', healthHandler(attune));
  app.use('/v1', apiRouter(attune, { keys: options.apiKeys }));
  // Dialogflow ES and CX fulfillment; every reply carries recommendations in the demo.
  app.post('/dialogflow', dialogflowWebhook(attune, { auth: webhookAuthFromEnv(process.env), recommend: true }));
  // Rasa's endpoints.yml: action_endpoint: { url: "http://localhost:3978/rasa/webhook" }
  app.use('/rasa', rasaActionServer(attune));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such route' });
  });
  app.use(errorHandler(attune.logger));
  return { app, adapter };
}
