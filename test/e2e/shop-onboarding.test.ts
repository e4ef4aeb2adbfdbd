import request from 'supertest';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { emulatorMessage, type RecordedActivity } from '../support/emulator';
import { type RunningShop, startShop } from '../support/shop-server';

const byTitle = (title: string) => catalog.find((i) => i.title === title);
const actions = (a: RecordedActivity | undefined) => (a?.suggestedActions?.actions ?? []).map((x) => x.title);
const shown = (a: RecordedActivity | undefined) => [...actions(a), ...((a as { attachments?: { content: { title?: string } }[] } | undefined)?.attachments ?? []).map((x) => x.content.title ?? '')];

// Planted: what everyone else looks at is expensive (camping and running gear over 100), so a
// newcomer's list without onboarding is that; with "running" + "under 50" it must not be.
const planted = catalog.filter((i) => (i.category === 'camping' || i.category === 'running') && (i.price ?? 0) > 100).map((i) => i.id);

describe('onboarding through Bot Framework (the shop on /api/messages, onboarding on)', () => {
  let stopShop: () => Promise<void>;
  let base: string;
  let connector: RunningShop['connector'];
  let attune: Attune;

  beforeEach(async () => {
    attune = createAttune({ store: new MemoryStore(), catalog, stages: { recommend: { k: 5 }, onboarding: {} } });
    for (let u = 0; u < 6; u++) for (const id of planted) await attune.track({ userId: `crowd-${u}`, event: 'Product Viewed', properties: { product_id: id } });
    await attune.flush();
    await attune.recommendations.refreshPopularity();
    ({ base, connector, close: stopShop } = await startShop(attune));
  });

  afterEach(async () => {
    await stopShop();
  });

  /** Says `text` and returns every activity of the bot's answer, in order. */
  async function say(userId: string, text: string): Promise<RecordedActivity[]> {
    const before = connector.replies.length;
    const res = await request(base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text));
    expect(res.status).toBeLessThan(300);
    return connector.replies.slice(before);
  }

  it('asks a new user, and after "running" + "under 50" recommends running items under 50 instead of the popular expensive ones', async () => {
    const hello = await say('new-1', 'hi');
    const question = hello.at(-1);
    expect(question?.text).toMatch(/what are you most into/i);
    expect(actions(question)).toEqual(expect.arrayContaining(['Running', 'Camping', 'Skip']));
    // The bot's own welcome came first, untouched.
    expect(hello[0].text).toMatch(/^Welcome!/);

    const afterInterest = await say('new-1', 'running');
    expect(afterInterest.at(-1)?.text).toMatch(/budget/i);
    expect(actions(afterInterest.at(-1))).toEqual(expect.arrayContaining(['Under 50', 'No limit', 'Skip']));
    const afterBudget = await say('new-1', 'under 50');
    expect(afterBudget.at(-1)?.text).toMatch(/who are you shopping for/i);

    const list = (await say('new-1', 'what would you recommend?')).at(-1);
    const items = shown(list).map(byTitle);
    expect(items.length).toBe(5);
    expect(items.every((i) => i?.category === 'running' && (i.price ?? Infinity) < 50)).toBe(true);
    // The question was gone past: it is not asked again in this session.
    expect(actions(list)).not.toContain('Skip');

    await attune.flush();
    const profile = await attune.profile('new-1');
    expect(profile?.onboarding).toMatchObject({ status: 'active', answers: { interests: 'running', budget: 'under-50' }, budget: { maxPrice: 50 } });
  });

  it('without onboarding the same newcomer would get the planted popular items (the opposite default)', async () => {
    await say('skipper-1', 'hi');
    const skipped = await say('skipper-1', 'skip');
    // Skipping asks nothing more, then or later.
    expect(skipped.every((a) => !actions(a).includes('Skip'))).toBe(true);
    const items = shown((await say('skipper-1', 'what would you recommend?')).at(-1)).map(byTitle);
    expect(items.length).toBe(5);
    expect(items.every((i) => planted.includes(i?.id ?? ''))).toBe(true);
    await attune.flush();
    expect((await attune.profile('skipper-1'))?.onboarding?.status).toBe('skipped');
  });

  it('does not ask a returning user', async () => {
    await attune.track({ userId: 'regular-1', event: 'Product Viewed', properties: { product_id: catalog[0].id } });
    await attune.flush();
    const hello = await say('regular-1', 'hi');
    expect(hello.length).toBeGreaterThan(0);
    expect(hello.every((a) => !/what are you most into/i.test(a.text ?? '') && !actions(a).includes('Skip'))).toBe(true);
  });
});
