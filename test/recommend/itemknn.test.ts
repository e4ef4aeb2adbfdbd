import { ItemKnn } from '../../src/recommend/models/itemknn';
import { Popularity } from '../../src/recommend/models/pop';
import { precisionAt, synthetic } from './synthetic';

describe('ItemKnn', () => {
  const data = synthetic();

  test('recovers planted clusters, beating popularity by a clear margin', () => {
    const pop = new Popularity();
    pop.fit(data.train);
    const knn = new ItemKnn();
    knn.fit(data.train);
    expect(precisionAt(knn, data.test)).toBeGreaterThan(1.5 * precisionAt(pop, data.test));
  });

  test('similar items come from the same group', () => {
    const knn = new ItemKnn();
    knn.fit(data.train);
    const sims = knn.similar('i0', 5);
    expect(sims).toHaveLength(5);
    expect(sims.filter((s) => data.groupOfItem(s.item) === 0).length).toBeGreaterThanOrEqual(4);
    expect(knn.similar('unknown', 5)).toEqual([]);
  });

  test('neighbour pruning keeps at most N neighbours', () => {
    const knn = new ItemKnn({ neighbours: 3 });
    knn.fit(data.train);
    expect(knn.similar('i0', 10)).toHaveLength(3);
  });
});
