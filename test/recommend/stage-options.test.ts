import { createAttune, type RecommendStageOptions } from '../../index';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

describe('the recommend stage passes its diversity options and the turn filter on', () => {
  it('maxPerCategory spreads a list that affinity alone would fill with one category', async () => {
    const categories = async (recommend: RecommendStageOptions) => {
      const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), stages: { recommend } });
      try {
        const r = await attune.turn({ userId: 'u1', text: 'I love yoga', reply: { text: 'Here you go:', recommend: { k: 3 } } });
        return (r.reply?.recommendations ?? []).map((x) => x.item?.category);
      } finally {
        await attune.close();
      }
    };
    expect(await categories({})).toEqual(['yoga', 'yoga', 'yoga']);
    expect(new Set(await categories({ maxPerCategory: 1 })).size).toBe(3);
  });

  it('the turn filter and the reply filter combine', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog() });
    try {
      const r = await attune.turn({ userId: 'u2', text: 'hi', filter: { categories: ['camping'] }, reply: { text: 'Here you go:', recommend: { k: 3, filter: { maxPrice: 30 } } } });
      expect(r.reply?.recommendations?.map((x) => x.itemId).sort()).toEqual(['camping-1', 'camping-2', 'camping-3']);
    } finally {
      await attune.close();
    }
  });
});
