import { sequentialHalfWidth, sequentialTest, welchEstimate, welchTest } from '../../../src/experiments';
import { Accumulator, sampler } from '../simulate';

describe('sequential confidence sequences', () => {
  it('are wider than the fixed-horizon interval, tightest near the tuning size', () => {
    const fixed = 1.959963984540054 * 0.02;
    const widths = [500, 2000, 5000, 20000, 100000].map((n) => sequentialHalfWidth(0.02, n, 0.05, 5000) / fixed);
    widths.forEach((w) => expect(w).toBeGreaterThan(1));
    // The ratio to the fixed interval is smallest around n = tuning and grows on both sides.
    expect(widths[2]).toBeLessThan(widths[0]);
    expect(widths[2]).toBeLessThan(widths[4]);
  });

  it('p < α exactly when the interval excludes 0', () => {
    for (const estimate of [0.01, 0.03, 0.05, 0.07, -0.06]) {
      const r = sequentialTest({ estimate, se: 0.02, df: Infinity }, 4000, { alpha: 0.05 });
      const excludes = r.ci[0] > 0 || r.ci[1] < 0;
      expect(r.pValue < 0.05).toBe(excludes);
    }
  });
});

describe('peeking every day (2,000 seeded A/A experiments, 14 daily looks)', () => {
  // Each day 100 new users per arm; after each day the team reads the result and stops at the
  // first significant one.
  const EXPERIMENTS = 2000;
  const DAYS = 14;
  const PER_DAY = 100;

  let fixedStops = 0;
  let sequentialStops = 0;
  let fixedAtEnd = 0;
  beforeAll(() => {
    const { normals } = sampler(7);
    for (let e = 0; e < EXPERIMENTS; e++) {
      const a = new Accumulator();
      const b = new Accumulator();
      let fixedStopped = false;
      let sequentialStopped = false;
      for (let day = 0; day < DAYS; day++) {
        a.add(normals(PER_DAY, 10, 3));
        b.add(normals(PER_DAY, 10, 3));
        const [ma, mb] = [a.moments(), b.moments()];
        if (welchTest(ma, mb).pValue < 0.05) fixedStopped = true;
        if (sequentialTest(welchEstimate(ma, mb), ma.n + mb.n).pValue < 0.05) sequentialStopped = true;
        if (day === DAYS - 1 && welchTest(ma, mb).pValue < 0.05) fixedAtEnd++;
      }
      if (fixedStopped) fixedStops++;
      if (sequentialStopped) sequentialStops++;
    }
  });

  it('inflates the fixed-horizon test’s false positives well past α', () => {
    // Read once at the end, the same test holds α; read daily, it does not.
    expect(fixedAtEnd / EXPERIMENTS).toBeGreaterThan(0.035);
    expect(fixedAtEnd / EXPERIMENTS).toBeLessThan(0.065);
    expect(fixedStops / EXPERIMENTS).toBeGreaterThan(0.12);
  });

  it('leaves the sequential mode’s false positives at or below α', () => {
    expect(sequentialStops / EXPERIMENTS).toBeLessThanOrEqual(0.05);
  });
});
