import { type CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Express } from 'express';
import { AttuneCloudAdapter, AttuneMiddleware } from '../../adapters/botbuilder';
import { type DialogflowAuth, dialogflowRoute } from '../../adapters/dialogflow';
import { type ApiKeys, createServer, type ExperimentLookup, type ServerOptions } from '../../adapters/http';
import { type RasaAuth, rasaRoute } from '../../adapters/rasa';
import type { Attune } from '../../src/engine/attune';
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
  /** The experiments `GET /v1/experiments/:id/results` reports on (default: the engine's registry, which holds the shop's `experiments.json`). */
  experiments?: ExperimentLookup;
  /** `GET /metrics`: `createMetrics()`, whose hooks the engine was given. */
  metrics?: ServerOptions['metrics'];
}

/**
 * The e-commerce case study: Attune's server (`createServer`: the REST API on `/v1`,
 * `/healthz`, Dialogflow fulfillment on `/dialogflow`, a Rasa action server under `/rasa`)
 * with the shop bot on `/api/messages` (Bot Framework CloudAdapter with Attune's middleware).
 * Every edge is rate-limited, failed authentications are throttled across all of them, and
 * the webhooks refuse calls unless given credentials or explicit open mode.
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

  const app = createServer(attune, {
    apiKeys: options.apiKeys,
    ratePerMinute: options.ratePerMinute,
    authFailuresPerMinute: options.authFailuresPerMinute,
    experiments: options.experiments,
    metrics: options.metrics,
    botFramework: adapter.route((context) => bot.run(context)),
    // Dialogflow ES and CX fulfillment; every reply carries recommendations in the demo.
    dialogflow: dialogflowRoute({ auth: options.dialogflowAuth, recommend: true }),
    // Rasa's endpoints.yml: action_endpoint: { url: "http://localhost:3978/rasa/webhook", token: "<ATTUNE_RASA_TOKEN>" }
    rasa: rasaRoute({ auth: options.rasaAuth }),
  });
  return { app, adapter };
}
