import { mulberry32 } from '../../src/core/random';
import { barChart, fourFifths, metricFrame, meanOf, quantile } from '../../src/fairness';

// 300 samples with a planted gap: group F scores about 0.4, group M about 0.6; age bands split both.
const rng = mulberry32(11);
const samples = Array.from({ length: 300 }, (_, i) => {
  const gender = i % 3 === 0 ? 'F' : 'M';
  return { gender, band: i % 2 ? 'young' : 'old', score: (gender === 'F' ? 0.4 : 0.6) + (rng() - 0.5) * 0.2 };
});
const frame = (n = 0) =>
  metricFrame({
    samples,
    metrics: { score: meanOf((s: (typeof samples)[number]) => s.score) },
    features: { gender: (s) => s.gender },
    bootstrap: n ? { samples: n, seed: 5 } : undefined,
  });

describe('metricFrame', () => {
  it('recovers the planted gap, with a bootstrap interval around it', () => {
    const f = frame(300);
    const gap = f.gaps.score;
    expect(gap.min.group).toBe('F');
    expect(gap.difference.between_groups).toBeGreaterThan(0.17);
    expect(gap.difference.between_groups).toBeLessThan(0.23);
    const [lo, hi] = gap.ci?.difference ?? [NaN, NaN];
    expect(lo).toBeLessThan(gap.difference.between_groups);
    expect(hi).toBeGreaterThan(gap.difference.between_groups);
    expect(hi - lo).toBeLessThan(0.05);
    for (const g of Object.values(f.byGroup)) {
      const [a, b] = g.ci?.score ?? [NaN, NaN];
      expect(a).toBeLessThan(g.values.score);
      expect(b).toBeGreaterThan(g.values.score);
    }
  });

  it('is reproducible under a seed', () => {
    expect(frame(50)).toEqual(frame(50));
  });

  it('crosses two features into intersectional groups, and leaves small groups out of the gaps', () => {
    const f = metricFrame({
      samples,
      metrics: { score: meanOf((s: (typeof samples)[number]) => s.score) },
      features: { gender: (s) => s.gender, band: (s) => s.band },
    });
    expect(Object.keys(f.byGroup)).toEqual(['F, old', 'F, young', 'M, old', 'M, young']);
    const few = metricFrame({
      samples,
      metrics: { score: meanOf((s: (typeof samples)[number]) => s.score) },
      features: { gender: (s) => s.gender },
      minGroupSize: 150,
    });
    expect(few.byGroup.F.size).toBe(100);
    expect(few.gaps.score).toBeUndefined();
  });

  it('raises a four-fifths alert for the planted gap only', () => {
    expect(fourFifths(frame(), 'score')).toMatchObject({ alert: true, worst: 'F', best: 'M' });
    expect(fourFifths(frame(), 'score', 0.5)?.alert).toBe(false);
  });
});

describe('quantile and barChart', () => {
  it('interpolates as numpy does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
  });

  it('escapes labels and scales bars to the largest value', () => {
    const svg = barChart('a <b> & "c"', [
      { label: 'x<y', value: 1 },
      { label: 'z', value: 0.5 },
    ]);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).toContain('x&lt;y');
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1] / widths[0]).toBeCloseTo(0.5, 2);
  });
});
