import { createAttune } from '../../index';
import { createShopAssistant, SHOP_INSTRUCTIONS } from '../../examples/llm-shop/assistant';
import { modelFromEnv } from '../../examples/llm-shop/model';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import { mockModel, systemText } from '../support/mock-llm';

/*
 * The LLM shop assistant with ai/test's mock model: its system prompt changes as the user
 * shows interest in a category (their words and the products they view), and the answers
 * are logged as turns.
 */

const categoryOf = new Map(catalog.map((i) => [i.id, i.category]));
const listed = (system: string) => [...system.matchAll(/\d\. .+? \[([^\]]+)\]/g)].map((m) => categoryOf.get(m[1]));

describe('the LLM shop assistant', () => {
  it('lists the category the user shows interest in, once they show it', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ catalog, store });
    const model = mockModel(() => 'Happy to help.');
    const assistant = createShopAssistant(attune, model);

    await assistant.reply('shopper', 'hello');
    const first = systemText(model.doGenerateCalls[0].prompt);
    expect(first.startsWith(SHOP_INSTRUCTIONS)).toBe(true);
    expect(first).not.toContain('interested in');
    expect(listed(first).filter((c) => c === 'climbing').length).toBeLessThan(2);

    // Interest shown in words and by looking at two climbing products.
    await assistant.reply('shopper', 'I started climbing, I need climbing shoes and a climbing harness');
    for (const id of catalog.filter((i) => i.category === 'climbing').slice(0, 2).map((i) => i.id)) {
      await attune.track({ userId: 'shopper', event: 'Product Viewed', properties: { product_id: id, category: 'climbing' } });
    }
    await assistant.reply('shopper', 'what would you suggest?');
    const later = systemText(model.doGenerateCalls[2].prompt);
    expect(later).toContain('interested in climbing');
    expect(listed(later)[0]).toBe('climbing');
    expect(listed(later).filter((c) => c === 'climbing').length).toBeGreaterThanOrEqual(2);

    await attune.flush();
    const sent = (await store.readEvents({ userId: attune.userKey('shopper') })).events.filter((e) => e.event === 'Message Sent');
    expect(sent.map((e) => e.properties.text)).toEqual(['Happy to help.', 'Happy to help.', 'Happy to help.']);
    await attune.close();
  });

  it('streams an answer', async () => {
    const attune = createAttune({ catalog });
    const assistant = createShopAssistant(attune, mockModel(() => 'A tent, maybe?'));
    let text = '';
    for await (const delta of assistant.stream('streamer', 'camping trip next week')) text += delta;
    expect(text).toBe('A tent, maybe?');
    await attune.close();
  });

  it('runs offline on its stand-in model without a key, and on the AI Gateway with one', async () => {
    expect(modelFromEnv({}).real).toBe(false);
    expect(modelFromEnv({ AI_GATEWAY_API_KEY: 'k' }).real).toBe(true);
    const attune = createAttune({ catalog });
    const assistant = createShopAssistant(attune, modelFromEnv({}).model);
    expect(await assistant.reply('offline', 'I need a yoga mat for yoga')).toMatch(/^I would suggest the .+\. Shall I/);
    await attune.close();
  });
});
