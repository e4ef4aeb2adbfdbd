import fc from 'fast-check';
import { benjaminiHochberg, holm } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('multiple-comparison corrections', () => {
  const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 });

  it('never lower a p-value, stay within [0, 1], and keep the order of the raw p-values', () => {
    fc.assert(
      fc.property(pValues, (p) => {
        for (const adjusted of [holm(p), benjaminiHochberg(p)]) {
          adjusted.forEach((a, i) => {
            expect(a).toBeGreaterThanOrEqual(p[i]);
            expect(a).toBeLessThanOrEqual(1);
            p.forEach((q, j) => {
              if (q < p[i]) expect(adjusted[j]).toBeLessThanOrEqual(a);
            });
          });
        }
      }),
    );
  });

  it('Holm is at least as strict as BH', () => {
    fc.assert(fc.property(pValues, (p) => holm(p).every((h, i) => h >= benjaminiHochberg(p)[i] - 1e-15)));
  });

  it('on 2,000 families of 10 null tests, Holm holds the family-wise error and BH the false discovery rate at α', () => {
    const { rng } = sampler(41);
    let holmFamilies = 0;
    let bhFamilies = 0;
    let raw = 0;
    for (let f = 0; f < 2000; f++) {
      const p = Array.from({ length: 10 }, () => rng());
      if (p.some((x) => x < 0.05)) raw++;
      if (holm(p).some((x) => x < 0.05)) holmFamilies++;
      // All nulls are true, so any discovery is false: FDR = FWER here.
      if (benjaminiHochberg(p).some((x) => x < 0.05)) bhFamilies++;
    }
    expect(raw / 2000).toBeGreaterThan(0.3); // 1 − 0.95¹⁰ = 0.40 uncorrected
    expect(holmFamilies / 2000).toBeLessThanOrEqual(0.06);
    expect(bhFamilies / 2000).toBeLessThanOrEqual(0.06);
  });
});
