import {
  averagePrecisionAtK,
  catalogCoverage,
  meanMetrics,
  ndcgAtK,
  precisionAtK,
  rankingMetrics,
  recallAtK,
} from '../../src/evaluate';

// One list worked by hand: relevant {a, b, c, d}; top 5 = a x b y c → hits at ranks 1, 3, 5.
const ranked = ['a', 'x', 'b', 'y', 'c'];
const relevant = new Set(['a', 'b', 'c', 'd']);

describe('ranking metrics against hand-computed values', () => {
  it('precision divides hits by k, even when the list is shorter than k', () => {
    expect(precisionAtK(ranked, relevant, 5)).toBeCloseTo(3 / 5);
    expect(precisionAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2);
    expect(precisionAtK(['a'], relevant, 10)).toBeCloseTo(1 / 10);
  });

  it('recall divides hits by the number of relevant items', () => {
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(3 / 4);
    expect(recallAtK(ranked, relevant, 1)).toBeCloseTo(1 / 4);
    expect(recallAtK(ranked, new Set(), 5)).toBe(0);
  });

  it('MAP (Microsoft Recommenders) divides the summed precisions by all relevant items', () => {
    // (1/1 + 2/3 + 3/5) / 4
    expect(averagePrecisionAtK(ranked, relevant, 5)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 4);
  });

  it('MAP@K divides by min(relevant, k), so a perfect list scores 1', () => {
    // k = 3: hits at 1 and 3 → (1 + 2/3) / min(4, 3)
    expect(averagePrecisionAtK(ranked, relevant, 3, 'min-k')).toBeCloseTo((1 + 2 / 3) / 3);
    expect(averagePrecisionAtK(['a', 'b'], relevant, 2, 'min-k')).toBeCloseTo(1);
    expect(averagePrecisionAtK(['a', 'b'], relevant, 2, 'relevant')).toBeCloseTo(0.5);
  });

  it('NDCG uses binary gains, a log2 discount and an ideal list of min(relevant, k) hits', () => {
    const dcg = 1 / Math.log2(2) + 1 / Math.log2(4) + 1 / Math.log2(6);
    const ideal = 1 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4) + 1 / Math.log2(5);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(dcg / ideal);
    expect(ndcgAtK(['x', 'a'], new Set(['a']), 2)).toBeCloseTo(1 / Math.log2(3));
    expect(ndcgAtK(['a', 'b'], relevant, 2)).toBeCloseTo(1);
  });

  it('rankingMetrics agrees with the single functions and counts a hit', () => {
    const m = rankingMetrics(ranked, relevant, 5);
    expect(m.precision).toBeCloseTo(0.6);
    expect(m.recall).toBeCloseTo(0.75);
    expect(m.map).toBeCloseTo(averagePrecisionAtK(ranked, relevant, 5));
    expect(m.mapAtK).toBeCloseTo(averagePrecisionAtK(ranked, relevant, 5, 'min-k'));
    expect(m.ndcg).toBeCloseTo(ndcgAtK(ranked, relevant, 5));
    expect(m.hitRate).toBe(1);
    expect(rankingMetrics(['x', 'y'], relevant, 2)).toEqual({ precision: 0, recall: 0, map: 0, mapAtK: 0, ndcg: 0, hitRate: 0 });
  });

  it('catalog coverage counts distinct recommended items over the catalog', () => {
    expect(catalogCoverage([['a', 'b'], ['b', 'c']], 10)).toBeCloseTo(0.3);
    expect(catalogCoverage([], 0)).toBe(0);
  });

  it('meanMetrics averages each metric', () => {
    const one = rankingMetrics(['a'], new Set(['a']), 1);
    const zero = rankingMetrics(['x'], new Set(['a']), 1);
    expect(meanMetrics([one, zero]).precision).toBeCloseTo(0.5);
    expect(meanMetrics([]).ndcg).toBe(0);
  });
});
