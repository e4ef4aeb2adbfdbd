/**
 * RP3beta: the walk matrix matches its definition computed densely, the model recovers planted
 * clusters better than popularity, β lowers the weight of popular items, and α/β are tuned on
 * a validation split.
 */
import { loadRecommender } from '../../src/recommend/models';
import { Popularity } from '../../src/recommend/models/pop';
import { Rp3Beta, walkMatrix } from '../../src/recommend/models/rp3beta';
import { buildMatrix } from '../../src/recommend/models/matrix';
import type { Interaction, ModelArtifact } from '../../src/recommend/recommender';
import { precisionAt, synthetic } from './synthetic';

describe('Rp3Beta', () => {
  const data = synthetic({ seed: 21 });

  test('the walk matrix is the definition: Σ_u P(u|i)^α P(j|u)^α / deg(j)^β, row-normalized', () => {
    const pairs = [
      [0, 0, 1], [0, 1, 2], [0, 2, 1], [1, 1, 1], [1, 3, 3], [2, 0, 2], [2, 2, 1], [2, 3, 1], [3, 1, 1], [3, 2, 2],
    ];
    const xs: Interaction[] = pairs.map(([u, i, w], t) => ({ user: `u${u}`, item: `i${i}`, weight: w, time: t }));
    const { csr, users, items } = buildMatrix(xs, { binary: false });
    const alpha = 0.7;
    const beta = 0.4;
    const dense = Array.from({ length: users.size }, () => new Array<number>(items.size).fill(0));
    for (const [u, i, w] of pairs) dense[users.get(`u${u}`) as number][items.get(`i${i}`) as number] = w;
    const rowSum = dense.map((r) => r.reduce((a, b) => a + b, 0));
    const colSum = dense[0].map((_, j) => dense.reduce((a, r) => a + r[j], 0));
    const degree = dense[0].map((_, j) => dense.filter((r) => r[j] > 0).length);
    const w = walkMatrix(csr, alpha, beta, items.size);
    for (let i = 0; i < items.size; i++) {
      const expected = dense[0].map((_, j) =>
        j === i ? 0 : dense.reduce((a, r, u) => a + (r[i] && r[j] ? Math.pow(r[i] / colSum[i], alpha) * Math.pow(r[j] / rowSum[u], alpha) : 0), 0) / Math.pow(degree[j], beta),
      );
      const total = expected.reduce((a, b) => a + b, 0);
      const got = new Array<number>(items.size).fill(0);
      for (let p = w.indptr[i]; p < w.indptr[i + 1]; p++) got[w.indices[p]] = w.values[p];
      got.forEach((g, j) => expect(g).toBeCloseTo(expected[j] / total, 6));
    }
  });

  test('recovers planted clusters, beating popularity by a clear margin', () => {
    const pop = new Popularity();
    pop.fit(data.train);
    const rp3 = new Rp3Beta({ tune: false });
    rp3.fit(data.train);
    expect(precisionAt(rp3, data.test)).toBeGreaterThan(1.5 * precisionAt(pop, data.test));
  });

  test('a larger β recommends less popular items', () => {
    const count = new Map<string, number>();
    for (const x of data.train.interactions) count.set(x.item, (count.get(x.item) ?? 0) + 1);
    const meanPopularity = (beta: number): number => {
      const m = new Rp3Beta({ tune: false, beta });
      m.fit(data.train);
      let s = 0;
      let n = 0;
      for (let u = 0; u < 60; u++) {
        for (const r of m.recommend(`u${u}`, 10)) {
          s += count.get(r.item) ?? 0;
          n++;
        }
      }
      return s / n;
    };
    expect(meanPopularity(0.9)).toBeLessThan(0.8 * meanPopularity(0));
  });

  test('tunes α and β on a validation split, deterministically, and survives its artifact', () => {
    const a = new Rp3Beta();
    const b = new Rp3Beta();
    a.fit(data.train, { seed: 3 });
    b.fit(data.train, { seed: 3 });
    expect(a.solved).toEqual(b.solved);
    expect([0.8, 1, 1.2].some((v) => Math.abs(v - a.solved.alpha) < 1e-9)).toBe(true);
    expect([0.3, 0.5, 0.6, 0.7].some((v) => Math.abs(v - a.solved.beta) < 1e-9)).toBe(true);
    const back = loadRecommender(JSON.parse(JSON.stringify(a.toArtifact())) as ModelArtifact);
    for (const u of ['u1', 'u7', 'u40']) expect(back.recommend(u, 10)).toEqual(a.recommend(u, 10));
    expect(back.similar('i2', 5)).toEqual(a.similar('i2', 5));
  });
});
