import { createAttune, EXPERIMENT_VIEWED } from '../../index';
import type { ExperimentInput } from '../../src/experiments/definition';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

const metrics = { primary: [{ kind: 'conversion' as const }] };
const treatment = { k: 2, tone: 'formal' as const, message: 'Spring sale: 20% off' };
/** Everyone in `treatment` (weights 0/1) or `control` (1/0). */
const forced = (arm: 'control' | 'treatment', extra: Partial<ExperimentInput> = {}): ExperimentInput => ({
  id: 'reply-test',
  name: 'Reply test',
  variants: [
    { id: 'control', weight: arm === 'control' ? 1 : 0 },
    { id: 'treatment', weight: arm === 'treatment' ? 1 : 0, overrides: treatment },
  ],
  metrics,
  ...extra,
});

const open: { close(): Promise<void> }[] = [];
function engine(experiments: ExperimentInput[], more: Parameters<typeof createAttune>[0] = {}) {
  const store = new MemoryStore();
  const attune = createAttune({ store, catalog: smallCatalog(), idKeys: false, experiments, ...more });
  open.push(attune);
  return { attune, store };
}
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
});

const exposures = async (store: MemoryStore, userId: string) => (await store.readEvents({ userId })).events.filter((e) => e.event === EXPERIMENT_VIEWED);

describe('the experiment stage', () => {
  it('logs Experiment Viewed once per user per experiment, with experiment_id and variation_id', async () => {
    const { attune, store } = engine([
      { id: 'half', variants: [{ id: 'a' }, { id: 'b' }], metrics },
      { id: 'other', variants: [{ id: 'x' }, { id: 'y' }], metrics },
    ]);
    const variants = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) {
      const r = await attune.turn({ userId: 'ann', text: `message ${i}` });
      variants.add(r.variant);
      expect(r.experiments?.map((e) => e.id)).toEqual(['half', 'other']);
      await attune.flush();
    }
    expect(variants.size).toBe(1);
    const seen = await exposures(store, 'ann');
    expect(seen.map((e) => e.properties.experiment_id).sort()).toEqual(['half', 'other']);
    const half = seen.find((e) => e.properties.experiment_id === 'half')!;
    expect(half.properties.variation_id).toBe([...variants][0]);
    expect(half).toMatchObject({ type: 'track', userId: 'ann' });
    // Stored with the user, exposure marked.
    const profile = await attune.profile('ann');
    expect(profile?.experiments?.half).toMatchObject({ variant: [...variants][0], bucketVersion: 0 });
    expect(profile?.experiments?.half.exposedAt).toEqual(expect.any(String));
    // Exposures are counted per arm for the bandit's stats.
    expect(await store.topCounters('exp:half', 10)).toEqual([{ key: `${[...variants][0]}:exposures`, value: 1 }]);
  });

  it('splits users between variants by their hash, about as weighted', async () => {
    const { attune } = engine([{ id: 'split', variants: [{ id: 'a', weight: 3 }, { id: 'b', weight: 1 }], metrics }]);
    let b = 0;
    for (let i = 0; i < 200; i++) if ((await attune.turn({ userId: `u${i}`, kind: 'conversation' })).variant === 'b') b++;
    expect(b).toBeGreaterThan(30);
    expect(b).toBeLessThan(70);
  });

  it("applies the variant's overrides: k, tone, and the message for the bot", async () => {
    for (const arm of ['control', 'treatment'] as const) {
      const { attune } = engine([forced(arm)]);
      await attune.turn({ userId: 'ann', text: 'I need a tent for camping' });
      await attune.flush();
      const r = await attune.turn({ userId: 'ann', text: 'what do you suggest?', reply: { text: 'We have these.', recommend: true } });
      expect(r.variant).toBe(arm);
      if (arm === 'treatment') {
        expect(r.recommendations).toHaveLength(2);
        expect(r.reply?.recommendations).toHaveLength(2);
        expect(r.tone).toBe('formal');
        expect(r.experiments).toEqual([{ id: 'reply-test', variant: 'treatment', overrides: treatment }]);
      } else {
        expect(r.recommendations).toHaveLength(5);
        expect(r.tone).not.toBe('formal');
        expect(r.experiments).toEqual([{ id: 'reply-test', variant: 'control', overrides: {} }]);
      }
    }
  });

  it('serves what is popular, not what the user likes, under the popular policy', async () => {
    const reasons: Record<string, string[]> = {};
    for (const policy of ['personalized', 'popular']) {
      const { attune } = engine([{ id: 'policy', variants: [{ id: 'control', weight: 0 }, { id: 'treatment', weight: 1, overrides: { policy } }], metrics }]);
      await attune.turn({ userId: 'ann', text: 'I need a tent for camping' });
      await attune.flush();
      const r = await attune.turn({ userId: 'ann', text: 'anything else?' });
      reasons[policy] = r.recommendations.map((x) => x.reason);
    }
    expect(reasons.personalized.every((x) => x === 'affinity:camping')).toBe(true);
    expect(reasons.popular.some((x) => x.startsWith('affinity:'))).toBe(false);
  });

  it('serves an older stored model version to the variant that asks for it, loaded in the background', async () => {
    const { attune } = engine([{ id: 'model', variants: [{ id: 'control', weight: 0 }, { id: 'treatment', weight: 1, overrides: { modelVersion: 1 } }], metrics }]);
    const items = smallCatalog().map((i) => i.id);
    for (let u = 0; u < 12; u++) for (let j = 0; j < 4; j++) await attune.track({ userId: `shopper-${u}`, event: 'Product Viewed', properties: { product_id: items[(u * 3 + j) % items.length] } });
    expect((await attune.train({ kind: 'itemknn' })).version).toBe(1);
    expect((await attune.train({ kind: 'pop' })).version).toBe(2);
    expect(attune.recommendations.hasModel('version:1')).toBe(false);
    // The first turn asks for version 1 and gets the served model meanwhile; the load never blocks it.
    const first = await attune.turn({ userId: 'ann', text: 'hello', reply: { text: 'Picks:', recommend: { k: 3 } } });
    expect(first.degraded).toBe(false);
    await attune.flush();
    await new Promise((r) => setImmediate(r));
    expect(attune.recommendations.hasModel('version:1')).toBe(true);
    expect(attune.recommendations.hasModel('version:9')).toBe(false);
  });

  it('diversifies the list when the variant asks for it', async () => {
    const categories: Record<string, string[]> = {};
    for (const diversity of [0, 1]) {
      const { attune } = engine([{ id: 'div', variants: [{ id: 'control', weight: 0 }, { id: 'treatment', weight: 1, overrides: { diversity, k: 3 } }], metrics }]);
      await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: 'camping-1' } });
      await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: 'running-1' } });
      await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: 'camping-2' } });
      await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: 'camping-3' } });
      const r = await attune.turn({ userId: 'ann', text: 'show me something' });
      categories[diversity] = r.recommendations.map((x) => x.item!.category);
    }
    expect(categories[0]).toEqual(['camping', 'camping', 'camping']);
    expect(new Set(categories[1]).size).toBeGreaterThan(1);
  });

  it('picks a named tone policy given to the tone stage', async () => {
    const { attune } = engine([{ id: 'tp', variants: [{ id: 'control', weight: 0 }, { id: 'treatment', weight: 1, overrides: { tonePolicy: 'always-concise' } }], metrics }], {
      stages: { tone: { policies: { 'always-concise': () => 'concise' } } },
    });
    expect((await attune.turn({ userId: 'ann', text: 'this is terrible, nothing works' })).tone).toBe('concise');
  });

  it('puts users without consent to personalization in no experiment, and stores nothing for them', async () => {
    const { attune, store } = engine([forced('treatment')]);
    await attune.setConsent('ann', { personalization: false });
    const r = await attune.turn({ userId: 'ann', text: 'hello' });
    await attune.flush();
    expect(r.variant).toBeUndefined();
    expect(r.recommendations.length).toBe(5);
    expect((await attune.profile('ann'))?.experiments).toBeUndefined();
    expect(await exposures(store, 'ann')).toEqual([]);
  });

  it('stores the assignment but logs no exposure without consent to analytics', async () => {
    const { attune, store } = engine([forced('treatment')]);
    await attune.setConsent('ann', { analytics: false });
    expect((await attune.turn({ userId: 'ann', text: 'hello' })).variant).toBe('treatment');
    await attune.flush();
    expect(await exposures(store, 'ann')).toEqual([]);
    expect((await attune.profile('ann'))?.experiments?.['reply-test']).toMatchObject({ variant: 'treatment' });
    expect((await attune.profile('ann'))?.experiments?.['reply-test'].exposedAt).toBeUndefined();
  });

  it('enrols only the targeted segments', async () => {
    // New visitors are in the default `new_visitor` segment on their first turn.
    const { attune } = engine([forced('treatment', { targeting: { segments: ['vip'] } })]);
    expect((await attune.turn({ userId: 'ann', text: 'hello' })).variant).toBeUndefined();
    const { attune: other } = engine([forced('treatment', { targeting: { excludeSegments: ['vip'] } })]);
    expect((await other.turn({ userId: 'ann', text: 'hello' })).variant).toBe('treatment');
  });

  it('runs nothing outside the dates', async () => {
    const { attune } = engine([forced('treatment', { end: '2020-01-01T00:00:00Z' })]);
    expect((await attune.turn({ userId: 'ann', text: 'hello' })).variant).toBeUndefined();
  });

  it('never breaks the turn when the registry fails', async () => {
    const { attune } = engine([forced('treatment')]);
    jest.spyOn(attune.experiments, 'runnable').mockRejectedValue(new Error('boom'));
    const r = await attune.turn({ userId: 'ann', text: 'hello', reply: 'Hi!' });
    expect(r.variant).toBeUndefined();
    expect(r.reply?.text).toContain('Hi!');
  });

  it('exports the assignments with the user and erases them', async () => {
    const { attune, store } = engine([forced('treatment')]);
    await attune.turn({ userId: 'ann', text: 'hello' });
    await attune.flush();
    const data = await attune.export('ann');
    expect(data.profile?.experiments?.['reply-test']).toMatchObject({ variant: 'treatment' });
    expect(data.events.some((e) => e.event === EXPERIMENT_VIEWED)).toBe(true);
    await attune.erase('ann');
    const after = await attune.export('ann');
    expect(after.profile).toBeNull();
    expect(after.events).toEqual([]);
    expect(await exposures(store, 'ann')).toEqual([]);
  });
});
