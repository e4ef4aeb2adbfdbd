import express from 'express';
import { createAttune } from '../../index';
import { rasaActionServer, slotSet } from '../../adapters/rasa';
import { EcommerceEvents } from '../../src/core/ecommerce';
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
 *
 * `domain.yml` beside this file lists the actions and slots to add to the Rasa domain.
 */
const attune = createAttune({ catalog });

const app = express();
app.use(
  '/',
  rasaActionServer(attune, {
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
app.listen(port, () => {
  process.stdout.write(`Attune Rasa action server on http://localhost:${port}/webhook (actions: /actions, health: /health)\n`);
});
