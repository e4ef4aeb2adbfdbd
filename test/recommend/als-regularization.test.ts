/**
 * ALS with frequency-scaled regularization (`regularizationExponent` ν): a row's λ grows with the
 * total weight of its loss terms, in training and in fold-in alike.
 */
import { Als } from '../../src/recommend/models/als';
import type { Interaction } from '../../src/recommend/recommender';
import { precisionAt, synthetic } from './synthetic';

const data = synthetic({ seed: 21, perUser: 30 });

function fitted(params: Record<string, unknown>): Als {
  const m = new Als({ factors: 8, regularization: 5, iterations: 25, cgSteps: 8, ...params });
  m.fit(data.train, { seed: 5 });
  return m;
}

function rowsOf(user: string): Interaction[] {
  return data.train.interactions.filter((x) => x.user === user).map((x) => ({ ...x, user: `${user}-again` }));
}

describe('Als regularizationExponent', () => {
  test('ν = 0 is plain ALS, and ν > 0 changes the model while it still recovers the planted groups', () => {
    const plain = fitted({});
    const zero = fitted({ regularizationExponent: 0 });
    const scaled = fitted({ regularizationExponent: 1 });
    expect(zero.recommend('u3', 10)).toEqual(plain.recommend('u3', 10));
    const a = plain.recommend('u3', 10);
    const b = scaled.recommend('u3', 10);
    expect(b.some((s, r) => Math.abs(s.score - a[r].score) > 1e-3)).toBe(true);
    expect(precisionAt(scaled, data.test)).toBeGreaterThan(0.8 * precisionAt(plain, data.test));
  });

  test('fold-in uses the same per-user λ as training: a user folded in again scores as they were trained', () => {
    // Regularization heavy enough that a wrong λ moves the scores well past the tolerance.
    const m = fitted({ regularizationExponent: 2, regularization: 20 });
    for (const user of ['u0', 'u7', 'u42']) {
      m.foldIn(`${user}-again`, rowsOf(user));
      const trained = m.recommend(user, 10);
      const again = m.recommend(`${user}-again`, 10);
      expect(again.map((s) => s.item)).toEqual(trained.map((s) => s.item));
      again.forEach((s, r) => expect(s.score).toBeCloseTo(trained[r].score, 3));
    }
  });
});
