import { ValidationError } from '../../src/core/errors';
import {
  analyze,
  holm,
  moments,
  proportionMoments,
  relativeLiftEstimate,
  testEstimate,
  twoProportionZTest,
  type RatioRow,
  type ValueRow,
} from '../../src/experiments';
import { sampler } from './simulate';

function binomialRows(spec: Record<string, [successes: number, trials: number]>): ValueRow[] {
  return Object.entries(spec).flatMap(([variant, [s, n]]) => Array.from({ length: n }, (_, i) => ({ variant, value: i < s ? 1 : 0 })));
}

describe('analyze', () => {
  it('binomial: one comparison per variant against the baseline, from the same tests as called directly', () => {
    const r = analyze(binomialRows({ control: [120, 1000], friendly: [150, 1000], formal: [118, 990] }), { metric: 'binomial' });
    expect(r.variants.map((v) => v.id)).toEqual(['control', 'friendly', 'formal']);
    expect(r.variants[0]).toEqual({ id: 'control', ...proportionMoments(120, 1000) });
    expect(r.comparisons.map((c) => [c.variant, c.baseline])).toEqual([
      ['friendly', 'control'],
      ['formal', 'control'],
    ]);
    const z = twoProportionZTest({ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 });
    const rel = testEstimate(relativeLiftEstimate(proportionMoments(120, 1000), proportionMoments(150, 1000)));
    expect(r.comparisons[0]).toMatchObject({ absDiff: z.estimate, absCi: z.ci, pValue: z.pValue, relLift: rel.estimate, relCi: rel.ci });
    expect(r.comparisons[0].chanceToWin).toBeGreaterThan(0.97);
    expect(r.comparisons.map((c) => c.adjustedPValue)).toEqual(holm(r.comparisons.map((c) => c.pValue)));
    expect(r.srm.ok).toBe(true);
    expect(r.sequential).toBe(false);
  });

  it('takes the baseline and planned weights it is given, and flags a mismatch', () => {
    const rows = binomialRows({ a: [50, 1000], b: [60, 1300] });
    const r = analyze(rows, { metric: 'binomial', baseline: 'b' });
    expect(r.comparisons[0]).toMatchObject({ variant: 'a', baseline: 'b' });
    expect(r.srm.ok).toBe(false);
    expect(analyze(rows, { metric: 'binomial', weights: { a: 1000, b: 1300 } }).srm.pValue).toBeCloseTo(1, 12);
  });

  it('mean: applies CUPED when every row has a pre value, and the interval narrows', () => {
    const { normals } = sampler(91);
    const rows: ValueRow[] = [];
    for (const [variant, shift] of [['control', 0], ['treatment', 1]] as const) {
      const pre = normals(500, 50, 10);
      const noise = normals(500, 0, 6);
      pre.forEach((x, i) => rows.push({ variant, value: 0.8 * x + noise[i] + shift, pre: x }));
    }
    const adjusted = analyze(rows, { metric: 'mean' });
    const raw = analyze(rows, { metric: 'mean', cuped: false });
    expect(adjusted.cuped?.theta).toBeCloseTo(0.8, 1);
    expect(raw.cuped).toBeUndefined();
    const width = (ci: [number, number]) => ci[1] - ci[0];
    expect(width(adjusted.comparisons[0].absCi)).toBeLessThan(0.7 * width(raw.comparisons[0].absCi));
    expect(adjusted.variants).toEqual(raw.variants); // summaries stay raw
  });

  it('ratio: the ratio of sums per variant, with delta-method intervals', () => {
    const rows: RatioRow[] = [
      ...Array.from({ length: 200 }, (_, i) => ({ variant: 'control', numerator: i % 5, denominator: 1 + (i % 3) })),
      ...Array.from({ length: 200 }, (_, i) => ({ variant: 'treatment', numerator: (i % 5) + (i % 2), denominator: 1 + (i % 3) })),
    ];
    const r = analyze(rows, { metric: 'ratio' });
    expect(r.variants[0].mean).toBeCloseTo(400 / 399, 12); // Σ i % 5 = 400, Σ 1 + i % 3 = 67 + 134 + 198
    const c = r.comparisons[0];
    expect(c.absCi[0]).toBeLessThan(c.absDiff);
    expect(c.absCi[1]).toBeGreaterThan(c.absDiff);
    expect(c.relLift).toBeCloseTo(r.variants[1].mean / r.variants[0].mean - 1, 12);
  });

  it('sequential mode widens the intervals and raises the p-values', () => {
    const rows = binomialRows({ control: [120, 1000], treatment: [150, 1000] });
    const fixed = analyze(rows, { metric: 'binomial' }).comparisons[0];
    const seq = analyze(rows, { metric: 'binomial', sequential: true }).comparisons[0];
    expect(seq.absCi[0]).toBeLessThan(fixed.absCi[0]);
    expect(seq.absCi[1]).toBeGreaterThan(fixed.absCi[1]);
    expect(seq.pValue).toBeGreaterThan(fixed.pValue);
    expect(analyze(rows, { metric: 'binomial', sequential: { tuning: 2000 } }).sequential).toBe(true);
  });

  it('says what is wrong with the rows, and where', () => {
    const issues = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).issues;
      }
      throw new Error('expected a ValidationError');
    };
    expect(issues(() => analyze([...binomialRows({ a: [1, 3] }), { variant: 'b', value: 0.5 }], { metric: 'binomial' }))).toEqual([
      { path: [3, 'value'], message: 'a binomial metric takes 0 or 1, got 0.5' },
    ]);
    expect(issues(() => analyze(binomialRows({ a: [1, 3], b: [1, 3] }), { metric: 'binomial', baseline: 'c' }))[0].path).toEqual(['baseline']);
    expect(issues(() => analyze(binomialRows({ a: [1, 3] }), { metric: 'binomial' }))[0].message).toMatch(/at least two variants/);
    expect(issues(() => analyze(binomialRows({ a: [1, 3], b: [1, 1] }), { metric: 'binomial' }))[0].path).toEqual(['variant', 'b']);
    expect(issues(() => analyze([{ variant: 'a', value: Number.NaN }], { metric: 'mean' }))[0].path).toEqual([0, 'value']);
    expect(issues(() => analyze(binomialRows({ a: [1, 3], b: [1, 3] }), { metric: 'mean', cuped: true }))[0].path).toEqual(['cuped']);
    expect(issues(() => analyze(binomialRows({ a: [1, 3], b: [1, 3] }), { metric: 'binomial', alpha: 5 }))[0].path).toEqual(['alpha']);
    expect(issues(() => analyze(binomialRows({ a: [1, 3], b: [1, 3] }), { metric: 'binomial', weights: { a: 1 } }))[0].path).toEqual(['weights', 'b']);
  });

  describe('over 2,000 seeded A/A experiments, the false-positive rate is within [3.5 %, 6.5 %] at α = 0.05', () => {
    const EXPERIMENTS = 2000;

    it('binomial, 10 % conversion, 500 users per arm', () => {
      const { rng } = sampler(101);
      let rejected = 0;
      for (let e = 0; e < EXPERIMENTS; e++) {
        const rows: ValueRow[] = [];
        for (let u = 0; u < 1000; u++) rows.push({ variant: u % 2 ? 'b' : 'a', value: rng() < 0.1 ? 1 : 0 });
        if (analyze(rows, { metric: 'binomial' }).comparisons[0].pValue < 0.05) rejected++;
      }
      expect(rejected / EXPERIMENTS).toBeGreaterThanOrEqual(0.035);
      expect(rejected / EXPERIMENTS).toBeLessThanOrEqual(0.065);
    });

    it('mean, skewed (log-normal) revenue, 300 users per arm', () => {
      const { normal } = sampler(102);
      let rejected = 0;
      for (let e = 0; e < EXPERIMENTS; e++) {
        const rows: ValueRow[] = [];
        for (let u = 0; u < 600; u++) rows.push({ variant: u % 2 ? 'b' : 'a', value: Math.exp(1 + 0.8 * normal()) });
        if (analyze(rows, { metric: 'mean' }).comparisons[0].pValue < 0.05) rejected++;
      }
      expect(rejected / EXPERIMENTS).toBeGreaterThanOrEqual(0.035);
      expect(rejected / EXPERIMENTS).toBeLessThanOrEqual(0.065);
    });
  });

  it('summaries match moments of the raw values', () => {
    const r = analyze(
      [1, 2, 3, 4, 5, 6].map((v, i) => ({ variant: i < 3 ? 'a' : 'b', value: v })),
      { metric: 'mean' },
    );
    expect(r.variants).toEqual([
      { id: 'a', ...moments([1, 2, 3]) },
      { id: 'b', ...moments([4, 5, 6]) },
    ]);
  });
});
