import { createAttune } from '../../index';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

/**
 * Planted co-occurrence: everyone who looks at running-1 also buys yoga-3 (across categories,
 * so affinity alone cannot find it). A trained item-kNN must surface yoga-3 for a newcomer
 * who views running-1, and never recommend what a user already bought.
 */
describe('training from the event log and serving the model', () => {
  async function seeded() {
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog() });
    const batch = [];
    for (let u = 0; u < 30; u++) {
      batch.push({ type: 'track', userId: `u${u}`, event: 'Product Viewed', properties: { product_id: 'running-1' } });
      batch.push({ type: 'track', userId: `u${u}`, event: 'Order Completed', properties: { products: [{ product_id: 'yoga-3', price: 30 }] } });
      // Noise: each user also views one other random-ish item.
      batch.push({ type: 'track', userId: `u${u}`, event: 'Product Viewed', properties: { product_id: `camping-${(u % 6) + 1}` } });
    }
    await attune.batch({ batch });
    return { store, attune };
  }

  it('trains, saves a versioned artifact, and recommends the co-occurring item to a newcomer', async () => {
    const { store, attune } = await seeded();
    const result = await attune.train({ kind: 'itemknn' });
    expect(result).toMatchObject({ kind: 'itemknn', version: 1, users: 30 });
    expect(await store.getArtifact('recommender')).not.toBeNull();

    await attune.track({ userId: 'newcomer', event: 'Product Viewed', properties: { product_id: 'running-1' } });
    const recs = await attune.recommend('newcomer', { k: 3 });
    expect(recs.map((r) => r.itemId)).toContain('yoga-3');
    expect(recs.find((r) => r.itemId === 'yoga-3')?.reason).toBe('model:itemknn');
  });

  it('never recommends what the user already bought', async () => {
    const { attune } = await seeded();
    await attune.train();
    const recs = await attune.recommend('u1', { k: 18 });
    expect(recs.map((r) => r.itemId)).not.toContain('yoga-3');
  });

  it('a new engine on the same store loads the latest artifact', async () => {
    const { store, attune } = await seeded();
    await attune.train();
    const fresh = createAttune({ store, catalog: smallCatalog() });
    expect(await fresh.loadRecommender()).toBe(true);
    await fresh.track({ userId: 'newcomer2', event: 'Product Viewed', properties: { product_id: 'running-1' } });
    expect((await fresh.recommend('newcomer2', { k: 3 })).map((r) => r.itemId)).toContain('yoga-3');
    expect(await createAttune({ store: new MemoryStore() }).loadRecommender()).toBe(false);
  });
});
