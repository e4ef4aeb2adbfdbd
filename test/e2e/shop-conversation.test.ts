import request from 'supertest';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { emulatorMessage, type RecordedActivity } from '../support/emulator';
import { type RunningShop, startShop } from '../support/shop-server';

const byTitle = new Map(catalog.map((i) => [i.title, i]));
/** The catalog items a reply shows, as hero cards or suggested actions. */
const shownItems = (a: RecordedActivity | undefined) =>
  [...(a?.attachments ?? []).map((x) => x.content.title ?? ''), ...(a?.suggestedActions?.actions ?? []).map((x) => x.title)].flatMap((t) => {
    const item = byTitle.get(t);
    return item ? [item] : [];
  });

describe('the shop bot understands a shopper (Emulator-shaped activities through /api/messages)', () => {
  let stopShop: () => Promise<void>;
  let base: string;
  let connector: RunningShop['connector'];
  let store: MemoryStore;
  let attune: Attune;

  beforeEach(async () => {
    store = new MemoryStore();
    attune = createAttune({ store, catalog });
    ({ base, connector, close: stopShop } = await startShop(attune));
  });

  afterEach(async () => {
    await stopShop();
    await attune.close();
  });

  /** Sends a message and returns every reply the bot sent to it. */
  async function say(userId: string, text: string, extra: Record<string, unknown> = {}): Promise<RecordedActivity[]> {
    const before = connector.replies.length;
    const res = await request(base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text, extra));
    expect(res.status).toBeLessThan(300);
    return connector.replies.slice(before);
  }
  const carousel = (replies: RecordedActivity[]) => replies.find((r) => r.attachmentLayout === 'carousel');

  it('running shoes, then cheaper ones, then under 30 dollars: every suggestion respects the price asked for', async () => {
    const shoes = carousel(await say('shopper-1', 'show me running shoes'));
    const first = shownItems(shoes);
    expect(first).toHaveLength(5);
    expect(first.every((i) => i.category === 'running' && i.tags.includes('shoes'))).toBe(true);

    const cheaperReplies = await say('shopper-1', 'cheaper ones');
    const cheaper = shownItems(carousel(cheaperReplies));
    const cheapestBefore = Math.min(...first.map((i) => i.price));
    expect(cheaper).toHaveLength(5);
    expect(cheaper.every((i) => i.category === 'running' && i.price < cheapestBefore)).toBe(true);

    const underReplies = await say('shopper-1', 'under 30 dollars');
    const under = shownItems(carousel(underReplies));
    expect(under).toHaveLength(5);
    expect(under.every((i) => i.category === 'running' && i.price <= 30)).toBe(true);
    expect(carousel(underReplies)?.text).toMatch(/running under 30\.00/);

    const range = shownItems(carousel(await say('shopper-1', 'yoga between 20 and 40')));
    expect(range.length).toBeGreaterThan(0);
    expect(range.every((i) => i.category === 'yoga' && i.price >= 20 && i.price <= 40)).toBe(true);
  });

  it('a first visit shows a mix, and the next list shifts to the category the shopper asked about', async () => {
    const [hi] = await say('visitor-2', 'hi');
    const mixed = shownItems(hi);
    expect(mixed).toHaveLength(5);
    expect(new Set(mixed.map((i) => i.category)).size).toBeGreaterThanOrEqual(3);
    expect(hi.text).toMatch(/^Welcome! 👋 A few ideas from across the shop:/);
    await say('visitor-2', 'I need camping gear');
    const later = (await say('visitor-2', 'what would you recommend?')).at(-1);
    const shifted = shownItems(later);
    expect(shifted).toHaveLength(5);
    expect(shifted.every((i) => i.category === 'camping')).toBe(true);
    expect(later?.text).toMatch(/because you showed interest in camping/);
  });

  it('"Was this helpful?" answers become Feedback Given events, and a purchase in free text is tied to the item last viewed', async () => {
    const replies = await say('buyer-3', 'show me yoga mats');
    const question = replies.at(-1);
    expect(question?.text).toBe('Was this helpful?');
    const yes = question?.suggestedActions?.actions.find((a) => a.title.includes('Yes'));
    expect(yes?.value).toMatchObject({ attune: 'feedback', helpful: true });
    await say('buyer-3', '', { value: yes?.value });

    const viewed = shownItems(carousel(replies))[1];
    await say('buyer-3', `tell me about ${viewed.title}`);
    const thanks = (await say('buyer-3', 'I bought it, thanks')).at(-1);
    expect(thanks?.text).toContain(`Thanks for your order of the ${viewed.title}`);

    await attune.flush();
    const { events } = await store.readEvents({ userId: attune.userKey('buyer-3') });
    const feedback = events.filter((e) => e.event === 'Feedback Given');
    expect(feedback).toHaveLength(1);
    expect(feedback[0].properties).toMatchObject({ positive: true, items: shownItems(carousel(replies)).map((i) => i.id) });
    const order = events.find((e) => e.event === 'Order Completed');
    expect(order?.properties.products).toEqual([expect.objectContaining({ product_id: viewed.id })]);
  });

  it('a named first-time visitor is greeted by first name, and the name is not stored', async () => {
    const [hi] = await say('named-4', 'hi', { from: { id: 'named-4', name: 'Zoë Quinterra', role: 'user' } });
    expect(hi.text).toMatch(/^Welcome, Zoë! 👋/);
    await attune.flush();
    const { events } = await store.readEvents({ userId: attune.userKey('named-4') });
    const snap = await store.readUser(attune.userKey('named-4'), attune.userKey('session:conv-named-4'));
    expect(snap.session?.turns.map((t) => t.text)).toEqual(['hi', 'Welcome, <NAME>! 👋 A few ideas from across the shop:']);
    expect(JSON.stringify({ events, snap })).not.toMatch(/Zoë|Quinterra/);
  });
});
