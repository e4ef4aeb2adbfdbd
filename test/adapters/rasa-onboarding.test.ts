import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import { type Json, RasaConversation } from '../support/rasa-tracker';

const byTitle = (title: unknown) => catalog.find((i) => i.title === title);
const buttons = (r: Json | undefined) => ((r?.buttons ?? []) as { title: string; payload: string }[]);

// Planted: the crowd looks at expensive camping and running gear only.
const planted = catalog.filter((i) => (i.category === 'camping' || i.category === 'running') && (i.price ?? 0) > 100).map((i) => i.id);

async function shop() {
  const attune = createAttune({ store: new MemoryStore(), catalog, stages: { onboarding: {} } });
  for (let u = 0; u < 6; u++) for (const id of planted) await attune.track({ userId: `crowd-${u}`, event: 'Product Viewed', properties: { product_id: id } });
  await attune.flush();
  await attune.recommendations.refreshPopularity();
  return { attune, app: createShopApp(attune, { apiKeys: false, rasaAuth: 'open' }).app };
}

describe('onboarding through the Rasa action server (/rasa/webhook)', () => {
  it('asks a new user with buttons; "running" + "under 50" make the next recommendations running items under 50', async () => {
    const { app, attune } = await shop();
    const conv = new RasaConversation('rasa-new-1');
    conv.user('hi', 'greet');
    const first = await conv.run(app, 'action_attune_recommend');
    expect(first.status).toBe(200);
    const responses = first.body.responses ?? [];
    // The action's own message first, then the question with its answers as buttons.
    expect(responses).toHaveLength(2);
    expect(buttons(responses[0]).every((b) => planted.includes(byTitle(b.title)?.id ?? ''))).toBe(true);
    expect(responses[1].text).toMatch(/what are you most into/i);
    expect(buttons(responses[1])).toEqual(expect.arrayContaining([{ title: 'Running', payload: 'Running' }, { title: 'Skip', payload: 'Skip' }]));

    conv.listen().user('Running', 'inform');
    const second = await conv.run(app, 'action_attune_recommend');
    expect(second.body.responses?.at(-1)?.text).toMatch(/budget/i);
    conv.listen().user('Under 50', 'inform');
    const third = await conv.run(app, 'action_attune_recommend');
    expect(third.body.responses?.at(-1)?.text).toMatch(/who are you shopping for/i);

    conv.listen().user('what do you recommend?', 'ask_recommendation');
    const after = await conv.run(app, 'action_attune_recommend');
    const [list, ...rest] = after.body.responses ?? [];
    expect(rest).toEqual([]);
    const items = buttons(list).map((b) => byTitle(b.title));
    expect(items).toHaveLength(3);
    expect(items.every((i) => i?.category === 'running' && (i.price ?? Infinity) < 50)).toBe(true);

    await attune.flush();
    const { events } = await attune.store.readEvents({ userId: attune.userKey('rasa-new-1') });
    expect(events.filter((e) => e.event === 'Onboarding Answered').map((e) => e.properties.answer)).toEqual(['running', 'under-50']);
  });

  it('skips for good on "skip", and does not ask a returning user', async () => {
    const { app, attune } = await shop();
    const conv = new RasaConversation('rasa-skip-1');
    conv.user('hello', 'greet');
    await conv.run(app, 'action_attune_recommend');
    conv.listen().user('skip', 'deny');
    const skipped = await conv.run(app, 'action_attune_recommend');
    expect(skipped.body.responses).toHaveLength(1);
    conv.listen().user('hello again', 'greet');
    expect((await conv.run(app, 'action_attune_recommend')).body.responses).toHaveLength(1);

    await attune.track({ userId: 'rasa-regular-1', event: 'Product Viewed', properties: { product_id: catalog[0].id } });
    await attune.flush();
    const regular = new RasaConversation('rasa-regular-1');
    regular.user('hi', 'greet');
    const res = await regular.run(app, 'action_attune_recommend');
    expect(res.body.responses).toHaveLength(1);
    expect(res.body.responses?.[0].text).not.toMatch(/what are you most into/i);
  });
});
