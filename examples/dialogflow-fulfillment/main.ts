import express from 'express';
import { createAttune } from '../../index';
import { dialogflowWebhook, restSessionEntityTypesClient, webhookAuthFromEnv } from '../../adapters/dialogflow';
import catalog from '../ecommerce/catalog.json';

/**
 * A Dialogflow ES/CX fulfillment webhook with Attune:
 *
 *   npx tsx examples/dialogflow-fulfillment/main.ts
 *
 * then expose it over HTTPS (e.g. a tunnel) and set the webhook URL to https://<host>/dialogflow
 * (ES: Fulfillment → Webhook; CX: Manage → Webhooks). Optional: DIALOGFLOW_WEBHOOK_USER and
 * DIALOGFLOW_WEBHOOK_PASSWORD (basic auth), DIALOGFLOW_WEBHOOK_SECRET (header
 * x-webhook-secret), DIALOGFLOW_SESSION_ENTITIES=1 to push session entities (needs Google
 * credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS, and `product` / `category` entity types).
 */
const attune = createAttune({ catalog });

const app = express();
app.post(
  '/dialogflow',
  dialogflowWebhook(attune, {
    auth: webhookAuthFromEnv(process.env),
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
app.listen(port, () => {
  process.stdout.write(`Attune Dialogflow fulfillment on http://localhost:${port}/dialogflow\n`);
});
