import express from 'express';
import { ConfigError, createAttune } from '../../index';
import { rasaActionServer, rasaAuthFromEnv, slotSet } from '../../adapters/rasa';
import { EcommerceEvents } from '../../src/core/ecommerce';
import { resolveListen } from '../../adapters/http';
import catalog from '../ecommerce/catalog.json';

/**
 * A Rasa action server with Attune, on Rasa's usual port 5055:
 *
 *   npx tsx examples/rasa-actions/main.ts
 *
 * and in the Rasa project's endpoints.yml:
 *
 *   action_endpoint:
 *     url: "http://localhost:5055/webhook"
 *     token: "<the value of ATTUNE_RASA_TOKEN>"
 *
 * with ATTUNE_RASA_TOKEN set here (Rasa sends it as ?token=), or ATTUNE_WEBHOOK_OPEN=1 to try
 * it without a token, on loopback. It listens on loopback unless HOST is set (which needs the
 * token). `domain.yml` beside this file lists the actions and slots to add to the Rasa domain.
 */
const { auth, host } = (() => {
  try {
    const auth = rasaAuthFromEnv(process.env);
    if (!auth) throw new ConfigError('no action-server token: set ATTUNE_RASA_TOKEN (and the same value as action_endpoint.token in endpoints.yml), or ATTUNE_WEBHOOK_OPEN=1 to run without one on loopback');
    return { auth, host: resolveListen({ host: process.env.HOST, authConfigured: { '/webhook': auth !== 'open' } }).host };
  } catch (err) {
    process.stderr.write(`attune rasa-actions: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
})();
const attune = createAttune({ catalog });

const app = express();
app.use(
  '/',
  rasaActionServer(attune, {
    auth,
    actions: {
      // "Tell me about <product>": the product is tracked as viewed, which steers what
      // action_attune_recommend suggests next.
      action_product_info: async (ctx) => {
        const text = ctx.tracker.latest_message?.text ?? '';
        const item = attune.catalog.all().find((i) => text.toLowerCase().includes(i.title.toLowerCase()));
        if (!item) {
          ctx.utter({ text: "I couldn't find that product. Here is what I'd suggest:", recommend: true });
          return [];
        }
        await attune.track({ userId: ctx.call.sender_id, event: EcommerceEvents.ProductViewed, properties: { product_id: item.id, category: item.category, price: item.price } });
        ctx.utter({ text: `${item.title}: ${item.description} (${item.price?.toFixed(2) ?? 'price on request'})` });
        return [slotSet('product', item.id)];
      },
    },
  }),
);

const port = Number(process.env.PORT ?? 5055);
app.listen(port, host, () => {
  process.stdout.write(`Attune Rasa action server on http://${host}:${port}/webhook (${auth === 'open' ? 'OPEN: no token, loopback clients only' : 'token required'}; actions: /actions, health: /health)\n`);
});
