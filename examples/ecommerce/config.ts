import { type DialogflowAuth, webhookAuthFromEnv } from '../../adapters/dialogflow';
import { type RasaAuth, rasaAuthFromEnv } from '../../adapters/rasa';
import { describeGeneratedKeys, isLoopback, LOOPBACK_HOST, ratePerMinuteFromEnv, resolveApiKeys, resolveListen } from '../../adapters/http';
import type { ShopAppOptions } from './app';

/** Everything `npm start` needs, decided from the environment before anything listens. */
export interface ShopConfig {
  app: ShopAppOptions;
  port: number;
  /** Where to listen: loopback unless `HOST` is set (and then only with auth everywhere). */
  host: string;
  /** What to print at start-up: generated keys, and how each webhook is protected. */
  notices: string[];
}

/**
 * The demo's configuration from the environment. Without `HOST` it listens on loopback, and
 * a webhook with no credentials configured runs in explicit open mode there (and says so,
 * with how to configure it), so `npm start` works out of the box. With `HOST` beyond
 * loopback, every endpoint that exposes user data must have auth configured (API keys,
 * Dialogflow credentials, the Rasa token, a Bot Framework app id), or this throws a
 * ConfigError naming what is missing. A half-configured credential throws too.
 *
 * ```ts
 * const config = shopConfigFromEnv(process.env);
 * createShopApp(attune, config.app).app.listen(config.port, config.host);
 * ```
 */
export function shopConfigFromEnv(env: NodeJS.ProcessEnv): ShopConfig {
  const ratePerMinute = ratePerMinuteFromEnv(env);
  const { keys, generated } = resolveApiKeys(env);
  const onLoopback = isLoopback(env.HOST?.trim() || LOOPBACK_HOST);
  const notices: string[] = generated ? [describeGeneratedKeys(generated)] : [];

  let dialogflowAuth: DialogflowAuth | undefined = webhookAuthFromEnv(env);
  if (dialogflowAuth === undefined && onLoopback) dialogflowAuth = 'open';
  notices.push(
    dialogflowAuth === 'open'
      ? 'Dialogflow POST /dialogflow: OPEN, no credentials (loopback clients only). To require them set DIALOGFLOW_WEBHOOK_SECRET (sent in header x-webhook-secret) and/or DIALOGFLOW_WEBHOOK_USER + DIALOGFLOW_WEBHOOK_PASSWORD (basic auth), the same values as in the Dialogflow console.'
      : 'Dialogflow POST /dialogflow: credentials required (DIALOGFLOW_WEBHOOK_*).',
  );

  let rasaAuth: RasaAuth | undefined = rasaAuthFromEnv(env);
  if (rasaAuth === undefined && onLoopback) rasaAuth = 'open';
  notices.push(
    rasaAuth === 'open'
      ? 'Rasa POST /rasa/webhook: OPEN, no token (loopback clients only). To require one set ATTUNE_RASA_TOKEN and the same value as action_endpoint.token in Rasa\'s endpoints.yml.'
      : 'Rasa POST /rasa/webhook: token required (ATTUNE_RASA_TOKEN, sent by Rasa as ?token=).',
  );

  const botAuth = {
    MicrosoftAppId: env.MicrosoftAppId,
    MicrosoftAppPassword: env.MicrosoftAppPassword,
    MicrosoftAppType: env.MicrosoftAppType,
    MicrosoftAppTenantId: env.MicrosoftAppTenantId,
  };
  const { host } = resolveListen({
    host: env.HOST,
    authConfigured: {
      '/v1 (ATTUNE_API_KEYS)': !generated,
      '/dialogflow (DIALOGFLOW_WEBHOOK_*)': typeof dialogflowAuth === 'object',
      '/rasa/webhook (ATTUNE_RASA_TOKEN)': typeof rasaAuth === 'object',
      '/api/messages (MicrosoftAppId)': Boolean(env.MicrosoftAppId?.trim()),
    },
  });
  return { app: { apiKeys: keys, dialogflowAuth, rasaAuth, ratePerMinute, botAuth }, port: Number(env.PORT ?? 3978), host, notices };
}
