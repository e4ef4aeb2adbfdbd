import { ContentBased } from '../../src/recommend/models/content';
import { tokenize } from '../../src/recommend/models/tfidf';
import { precisionAt, synthetic } from './synthetic';

const data = synthetic({ seed: 4 });

describe('ContentBased', () => {
  const m = new ContentBased();
  m.fit({ interactions: data.train.interactions, items: [...data.items, { id: 'fresh', text: 'brand new', categories: ['genre-1'] }] });

  test('recovers the category structure', () => {
    for (const item of ['i0', 'i1', 'i7']) {
      const g = data.groupOfItem(item);
      expect(m.similar(item, 10).every((s) => s.item === 'fresh' ? g === 1 : data.groupOfItem(s.item) === g)).toBe(true);
    }
    for (const user of ['u0', 'u1', 'u2']) {
      const g = data.groupOfUser(user);
      const recs = m.recommend(user, 10);
      expect(recs.filter((r) => r.item !== 'fresh' && data.groupOfItem(r.item) === g).length).toBeGreaterThanOrEqual(8);
    }
  });

  test('recommends an item nobody has interacted with yet', () => {
    // Pure content (no popularity prior): a cold item competes on its content alone.
    const pure = new ContentBased({ popularityExponent: 0, tune: false });
    pure.fit({ interactions: data.train.interactions, items: [...data.items, { id: 'fresh', text: 'brand new', categories: ['genre-1'] }] });
    pure.foldIn('onboarding', [{ user: 'onboarding', item: 'i1', weight: 1, time: 0 }]);
    expect(pure.recommend('onboarding', 40).map((r) => r.item)).toContain('fresh');
    // With the prior, the cold item counts as a typical one: still recommended, further down.
    m.foldIn('onboarding', [{ user: 'onboarding', item: 'i1', weight: 1, time: 0 }]);
    expect(m.recommend('onboarding', 200).map((r) => r.item)).toContain('fresh');
  });

  test('tunes the popularity prior on the training data, and the prior beats pure content', () => {
    const pure = new ContentBased({ popularityExponent: 0, tune: false });
    pure.fit(data.train);
    const tuned = new ContentBased();
    tuned.fit(data.train, { seed: 2 });
    expect([0, 0.25, 0.5, 1, 2]).toContain(tuned.beta);
    expect(precisionAt(tuned, data.test)).toBeGreaterThan(precisionAt(pure, data.test));
  });

  test('a user whose items have no features is not known', () => {
    m.foldIn('ghost', [{ user: 'ghost', item: 'not-in-catalog', weight: 1, time: 0 }]);
    expect(m.knowsUser('ghost')).toBe(false);
    expect(m.recommend('ghost', 5)).toEqual([]);
  });

  test('tokenizes words, dropping stopwords and single characters', () => {
    expect(tokenize('The Good, the Bad & the Ugly (1966) a')).toEqual(['good', 'bad', 'ugly', '1966']);
  });
});
