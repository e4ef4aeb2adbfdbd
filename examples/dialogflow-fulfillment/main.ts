import express from 'express';
import { ConfigError, createAttune } from '../../index';
import { dialogflowWebhook, restSessionEntityTypesClient, webhookAuthFromEnv } from '../../adapters/dialogflow';
import { resolveListen } from '../../adapters/http';
import catalog from '../ecommerce/catalog.json';

/**
 * A Dialogflow ES/CX fulfillment webhook with Attune:
 *
 *   npx tsx examples/dialogflow-fulfillment/main.ts
 *
 * then expose it over HTTPS (e.g. a tunnel) and set the webhook URL to https://<host>/dialogflow
 * (ES: Fulfillment → Webhook; CX: Manage → Webhooks). Credentials, the same as in the console:
 * DIALOGFLOW_WEBHOOK_USER and DIALOGFLOW_WEBHOOK_PASSWORD (basic auth) and/or
 * DIALOGFLOW_WEBHOOK_SECRET (header x-webhook-secret); or ATTUNE_WEBHOOK_OPEN=1 to try it
 * without any, on loopback. It listens on loopback unless HOST is set (e.g. HOST=0.0.0.0 in
 * a container, which needs credentials). DIALOGFLOW_SESSION_ENTITIES=1 pushes session
 * entities (needs Google credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS, and `product` /
 * `category` entity types).
 */
const { auth, host } = (() => {
  try {
    const auth = webhookAuthFromEnv(process.env);
    if (!auth) throw new ConfigError('no webhook credentials: set DIALOGFLOW_WEBHOOK_SECRET (header x-webhook-secret) and/or DIALOGFLOW_WEBHOOK_USER + DIALOGFLOW_WEBHOOK_PASSWORD, or ATTUNE_WEBHOOK_OPEN=1 to run without them on loopback');
    return { auth, host: resolveListen({ host: process.env.HOST, authConfigured: { '/dialogflow': auth !== 'open' } }).host };
  } catch (err) {
    process.stderr.write(`attune dialogflow-fulfillment: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
})();
const attune = createAttune({ catalog });

const app = express();
app.post(
  '/dialogflow',
  dialogflowWebhook(attune, {
    auth,
    // ES intents by display name: the agent's own text, plus picks for this user.
    intents: {
      'product.browse': ({ personalization }) => ({
        text: personalization.firstVisit ? 'Popular right now:' : 'Picked for you:',
        recommend: { k: 3, style: 'carousel' },
      }),
      'product.search': () => ({ recommend: { k: 3 } }),
    },
    // CX fulfillments by tag.
    tags: {
      recommend: () => ({ text: 'You might like these:', recommend: { k: 3 } }),
    },
    sessionEntities: process.env.DIALOGFLOW_SESSION_ENTITIES ? { client: restSessionEntityTypesClient() } : undefined,
  }),
);

const port = Number(process.env.PORT ?? 8080);
app.listen(port, host, () => {
  process.stdout.write(`Attune Dialogflow fulfillment on http://${host}:${port}/dialogflow (${auth === 'open' ? 'OPEN: no credentials, loopback clients only' : 'credentials required'})\n`);
});
