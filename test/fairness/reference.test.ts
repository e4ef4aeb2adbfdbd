import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogCoverage, distributionalCoverage, exposureGini, novelty, popularityOf, rankingMetrics } from '../../src/evaluate';
import { exposureByItemGroup, metricFrame, meanOf, reweighTable } from '../../src/fairness';
import type { Interaction } from '../../src/recommend/recommender';

/** Written by bench/reference/fairness_numpy.py. */
interface Reference {
  k: number;
  users: { user: string; group: string }[];
  train: { user: string; item: string }[];
  lists: string[][];
  relevant: string[][];
  expected: {
    ndcg: FrameFigures;
    recall: FrameFigures;
    exposurePerItem: Record<string, number>;
    exposureRatio: number;
    gini: number;
    novelty: number;
    distributionalCoverage: number;
    catalogCoverage: number;
    reweigh: Record<string, number>;
  };
}
interface FrameFigures {
  overall: number;
  byGroup: Record<string, number>;
  difference_between: number;
  difference_to_overall: number;
  ratio_between: number;
  ratio_to_overall: number;
}

const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'fairness-reference.json'), 'utf8')) as Reference;
const train: Interaction[] = ref.train.map((x) => ({ ...x, weight: 1, time: 0 }));
const groupOf = new Map(ref.users.map((u) => [u.user, u.group]));
const samples = ref.users.map((u, i) => ({ user: u.user, metrics: rankingMetrics(ref.lists[i], new Set(ref.relevant[i]), ref.k) }));
const pop = popularityOf(train);

describe('fairness formulas against the numpy reference', () => {
  const frame = metricFrame({
    samples,
    metrics: { ndcg: meanOf((s) => s.metrics.ndcg), recall: meanOf((s) => s.metrics.recall) },
    features: { group: (s) => groupOf.get(s.user) },
  });

  it.each(['ndcg', 'recall'] as const)('reproduces the %s group breakdown, differences and ratios (MetricFrame)', (metric) => {
    const want = ref.expected[metric];
    expect(frame.overall[metric]).toBeCloseTo(want.overall, 12);
    for (const [g, v] of Object.entries(want.byGroup)) expect(frame.byGroup[g].values[metric]).toBeCloseTo(v, 12);
    const gaps = frame.gaps[metric];
    expect(gaps.difference.between_groups).toBeCloseTo(want.difference_between, 12);
    expect(gaps.difference.to_overall).toBeCloseTo(want.difference_to_overall, 12);
    expect(gaps.ratio.between_groups).toBeCloseTo(want.ratio_between, 12);
    expect(gaps.ratio.to_overall).toBeCloseTo(want.ratio_to_overall, 12);
  });

  it('reproduces exposure parity by item group (head and long tail)', () => {
    const report = exposureByItemGroup(ref.lists, pop.count.keys(), (i) => [pop.tail.has(i) ? 'tail' : 'head']);
    for (const [g, v] of Object.entries(ref.expected.exposurePerItem)) expect(report.groups[g].perItem).toBeCloseTo(v, 12);
    expect(report.parity?.ratio.between_groups).toBeCloseTo(ref.expected.exposureRatio, 12);
  });

  it('reproduces Gini, novelty, distributional and catalog coverage', () => {
    expect(exposureGini(ref.lists, pop.count.keys())).toBeCloseTo(ref.expected.gini, 12);
    expect(novelty(ref.lists, pop)).toBeCloseTo(ref.expected.novelty, 12);
    expect(distributionalCoverage(ref.lists)).toBeCloseTo(ref.expected.distributionalCoverage, 12);
    const inCatalog = ref.lists.map((l) => l.filter((i) => pop.count.has(i)));
    expect(catalogCoverage(inCatalog, pop.count.size)).toBeCloseTo(ref.expected.catalogCoverage, 12);
  });

  it("reproduces AIF360's reweighing weights", () => {
    const table = reweighTable(train, { groupOf: (u) => groupOf.get(u), labelOf: (x) => (pop.tail.has(x.item) ? 'tail' : 'head') });
    expect(Object.keys(table.weights)).toEqual(Object.keys(ref.expected.reweigh));
    for (const [cell, w] of Object.entries(ref.expected.reweigh)) expect(table.weights[cell]).toBeCloseTo(w, 12);
  });
});
