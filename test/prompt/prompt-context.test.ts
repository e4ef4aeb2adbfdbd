import { createAttune } from '../../index';
import type { Recommendation } from '../../src/core/personalization';
import { emptyProfile } from '../../src/core/profile';
import type { Attune } from '../../src/engine/attune';
import { DEFAULT_SEGMENTS } from '../../src/segments/segments';
import { MemoryStore } from '../../src/store/memory';
import { Catalog } from '../../src/core/catalog';
import { estimateTokens, mentionedItems, promptData, renderPromptContext, type PromptSource, TONE_INSTRUCTIONS } from '../../src/prompt';
import { smallCatalog } from '../support/catalog';

/*
 * The framework-neutral prompt block: what it says about a user (from their events), that a
 * long profile is trimmed to the budget with the tone and the best item kept, the template,
 * and `recordAnswer` logging a completion as a turn.
 */

const catalog = Catalog.from(smallCatalog());

/** A user with a lot to say: many interests, orders, recent items, every segment, ten long-reasoned items. */
function longSource(): PromptSource {
  const profile = { ...emptyProfile('u', '2026-01-01T00:00:00.000Z'), orders: 12, revenue: 1234.5, counts: { messages: 40 } };
  profile.affinities = { running: 3, yoga: 2, camping: 1, cycling: 0.5 };
  profile.recentItems = catalog.all().slice(0, 6).map((i, n) => ({ id: i.id, weight: 1, at: `2026-01-0${n + 1}T00:00:00.000Z` }));
  const recommendations: Recommendation[] = catalog.all().slice(0, 10).map((item, i) => ({ itemId: item.id, score: 10 - i, reason: `affinity:${item.category}`, explanation: `because you looked at many ${item.category} products over the last few weeks and bought two of them`, item }));
  return { profile, segments: DEFAULT_SEGMENTS.map((s) => s.id), recommendations, tone: 'formal', language: 'en', personal: true };
}

const deps = { segments: { definitions: DEFAULT_SEGMENTS }, catalog };

describe('the prompt block', () => {
  it('says what the profile holds: interests by strength, orders, segments by name, items with ids and reasons', () => {
    const { text, data, trimmed } = renderPromptContext(promptData(longSource(), deps), { tokenBudget: 10_000 });
    expect(trimmed).toBe(false);
    expect(data.summary[0]).toBe('interested in running, yoga, camping');
    expect(text).toContain('12 orders so far (1234.50 spent)');
    expect(text).toContain('Segments: New visitors, Recent buyers, Big spenders, Window shoppers');
    expect(text).toContain(TONE_INSTRUCTIONS.en.formal);
    expect(text).toContain('1. running item 1 [running-1] (running, 10.00): because you looked');
    expect(data.recommendations).toHaveLength(5);
  });

  it('trims a long profile to the token budget, least useful first, and keeps the tone and the best item', () => {
    const full = renderPromptContext(promptData(longSource(), deps), { tokenBudget: 10_000 });
    for (const budget of [250, 150, 100]) {
      const { text, tokens, trimmed, data } = renderPromptContext(promptData(longSource(), deps), { tokenBudget: budget });
      expect([budget, tokens <= budget, trimmed]).toEqual([budget, true, true]);
      expect(tokens).toBe(estimateTokens(text));
      expect(text).toContain(TONE_INSTRUCTIONS.en.formal);
      expect(data.recommendations[0]?.itemId).toBe('running-1');
      expect(text.length).toBeLessThan(full.text.length);
    }
    // Reasons in words go before items beyond the best and before the summary's first clause.
    const mid = renderPromptContext(promptData(longSource(), deps), { tokenBudget: 150 });
    expect(mid.data.recommendations.every((r) => r.explanation === undefined)).toBe(true);
    expect(mid.data.recommendations.length).toBeGreaterThan(1);
    expect(mid.data.summary[0]).toBe('interested in running, yoga, camping');
  });

  it('a budget that cannot hold an item keeps the tone instruction', () => {
    const { text, data } = renderPromptContext(promptData(longSource(), deps), { tokenBudget: 45 });
    expect(data.recommendations).toEqual([]);
    expect(text).toContain(TONE_INSTRUCTIONS.en.formal);
  });

  it('a budget smaller than the tone instruction cuts the text itself', () => {
    const { tokens, trimmed } = renderPromptContext(promptData(longSource(), deps), { tokenBudget: 5 });
    expect(trimmed).toBe(true);
    expect(tokens).toBeLessThanOrEqual(5);
  });

  it('says nothing about a user who does not allow personalization, but still sets the tone and lists items', () => {
    const { text, data } = renderPromptContext(promptData({ ...longSource(), personal: false }, deps));
    expect(data.summary).toEqual([]);
    expect(data.segments).toEqual([]);
    expect(text).not.toContain('About the user');
    expect(text).not.toContain('Segments');
    expect(text).toContain('[running-1]');
  });

  it('takes a template of one\'s own, with placeholders or as a function', () => {
    const data = promptData(longSource(), deps);
    expect(renderPromptContext(data, { template: 'Tone: {tone}\nLikes: {summary}\nNothing: {unknown}', tokenBudget: 10_000 }).text).toMatch(/^Tone: Answer in English, in a formal, polite tone\.\nLikes: interested in running.*\nNothing: \{unknown\}$/);
    expect(renderPromptContext(data, { template: (d) => `tone=${d.tone}; items=${d.recommendations.map((r) => r.itemId).join(',')}` }).text).toBe('tone=formal; items=running-1,running-2,running-3,running-4,running-5');
  });

  it('writes the tone instruction in the user\'s language', () => {
    expect(renderPromptContext(promptData({ ...longSource(), language: 'de' }, deps)).text).toContain(TONE_INSTRUCTIONS.de.formal);
  });

  it('finds the items an answer names, by whole-word title or by id', () => {
    const items = [{ itemId: 'p1', title: 'Trail Runner X' }, { itemId: 'p2', title: 'Mat' }, { itemId: 'p3', title: 'Tent' }];
    expect(mentionedItems('The trail-runner x suits you; also see p3.', items).map((i) => i.itemId)).toEqual(['p1', 'p3']);
    expect(mentionedItems('Matters of taste.', items)).toEqual([]);
  });
});

describe('attune.promptContext and attune.recordAnswer', () => {
  let attune: Attune;
  let store: MemoryStore;
  beforeEach(() => {
    store = new MemoryStore();
    attune = createAttune({ catalog: smallCatalog(), store });
  });
  afterEach(() => attune.close());

  it('the block follows the user\'s interest, in their language', async () => {
    await attune.track({ userId: 'p-u1', event: 'Product Viewed', properties: { product_id: 'camping-2', category: 'camping' } });
    await attune.track({ userId: 'p-u1', event: 'Product Viewed', properties: { product_id: 'camping-3', category: 'camping' } });
    const logged = async () => (await attune.flush(), (await store.readEvents({ userId: attune.userKey('p-u1') })).events.length);
    const before = await logged();
    const { text, data } = await attune.promptContext('p-u1', { text: 'Hallo, ich suche ein Zelt für die Reise und bitte auch etwas Günstiges' });
    expect(data.language).toBe('de');
    expect(text).toContain('Antworte auf Deutsch');
    expect(data.summary[0]).toBe('interested in camping');
    expect(data.recommendations.length).toBeGreaterThan(0);
    // The newcomer's list keeps some variety (at most half of it from one category), interest first.
    expect(data.recommendations.slice(0, 2).map((r) => r.itemId.split('-')[0])).toEqual(['camping', 'camping']);
    expect(await logged()).toBe(before); // it reads only
  });

  it('recordAnswer logs the prompt and the answer as a turn, redacted, and the named offered items as shown', async () => {
    const { data } = await attune.promptContext('p-u2');
    const first = data.recommendations[0];
    await attune.recordAnswer({ userId: 'p-u2', prompt: 'call me on +44 20 7946 0958', answer: `Try the ${first.title}.`, offered: data.recommendations });
    await attune.flush();
    const events = (await store.readEvents({ userId: attune.userKey('p-u2') })).events;
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['Message Received', 'Message Sent', 'Recommendation Shown']));
    expect(JSON.stringify(events)).not.toMatch(/7946\s?0958/);
    expect(events.find((e) => e.event === 'Recommendation Shown')?.properties.items).toEqual([first.itemId]);
  });

  it('recordAnswer refuses malformed input with a ValidationError', async () => {
    await expect(attune.recordAnswer({ userId: '', answer: 'x' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
