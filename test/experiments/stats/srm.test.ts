import { srmCheck } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('sample ratio mismatch', () => {
  it('warns below p = 0.001 only', () => {
    expect(srmCheck([5000, 5210]).ok).toBe(true);
    expect(srmCheck([5000, 5400]).ok).toBe(false);
    expect(srmCheck([5000, 5400], undefined, { threshold: 0.00001 }).ok).toBe(true);
  });

  it('reads weights as proportions and skips variants planned at 0 %', () => {
    expect(srmCheck([2000, 8000], [1, 4]).pValue).toBeCloseTo(1, 12);
    expect(srmCheck([2000, 0, 8000], [0.2, 0, 0.8])).toMatchObject({ df: 1, ok: true });
    expect(() => srmCheck([1, 2], [1])).toThrow(RangeError);
  });

  it('over 2,000 seeded splits at the planned 30/70 raises almost no false alarm, and catches a 2-point shift', () => {
    const { rng } = sampler(51);
    let alarms = 0;
    let caught = 0;
    for (let e = 0; e < 2000; e++) {
      let a = 0;
      let shifted = 0;
      for (let u = 0; u < 20_000; u++) {
        const x = rng();
        if (x < 0.3) a++;
        if (x < 0.32) shifted++;
      }
      if (!srmCheck([a, 20_000 - a], [0.3, 0.7]).ok) alarms++;
      if (!srmCheck([shifted, 20_000 - shifted], [0.3, 0.7]).ok) caught++;
    }
    expect(alarms).toBeLessThanOrEqual(8); // expected 2 at p < 0.001
    expect(caught / 2000).toBeGreaterThan(0.99); // z ≈ 6 against the 3.3 of p = 0.001
  });
});
