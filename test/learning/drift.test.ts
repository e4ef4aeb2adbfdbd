import reference from './fixtures/drift-reference.json';
import { drift, jaccard, ksDistance, summarize } from '../../src/learning/drift';

describe('drift statistics against numpy and scipy (bench/reference/drift_fixtures.py)', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s: summary statistics and the KS distance', (_name, c) => {
    for (const [sample, expected] of [
      [c.a, c.summaryA],
      [c.b, c.summaryB],
    ] as const) {
      const got = summarize(sample);
      expect(got.count).toBe(expected.count);
      for (const key of ['mean', 'sd', 'p10', 'p50', 'p90'] as const) expect(got[key]).toBeCloseTo(expected[key], 10);
    }
    expect(ksDistance(c.a, c.b)).toBeCloseTo(c.ks, 12);
  });

  it('reports list overlap and metric deltas from one version to the next', () => {
    expect(jaccard(['a', 'b', 'c'], ['b', 'c', 'd'])).toBeCloseTo(0.5);
    const report = drift(
      { before: [[{ item: 'a', score: 1 }, { item: 'b', score: 0.5 }]], after: [[{ item: 'a', score: 2 }, { item: 'c', score: 1 }]] },
      { ndcg: 0.3, recall: 0.2 },
      { ndcg: 0.25, recall: 0.3 },
    );
    expect(report.overlap).toBeCloseTo(1 / 3);
    expect(report.metrics.ndcg).toBeCloseTo(-0.05);
    expect(report.metrics.recall).toBeCloseTo(0.1);
    expect(report.ks).toBeCloseTo(0.5);
    expect(report.after.mean).toBeCloseTo(1.5);
  });
});
