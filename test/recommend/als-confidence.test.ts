import { Als } from '../../src/recommend/models/als';
import { precisionAt, synthetic } from './synthetic';

// Planted structure: a user's own-group items carry weight 4–5, the noise items 1–2, and half
// of every user's items are noise, so only the weights tell the two apart within a user.
const data = synthetic({ seed: 13, inGroup: 0.5, perUser: 24 });

function fitted(params: Record<string, unknown>): Als {
  const m = new Als({ factors: 8, regularization: 5, ...params });
  m.fit(data.train, { seed: 3 });
  return m;
}

describe('Als confidence', () => {
  test('confidence from the weights ranks the held-out items better than binary confidence', () => {
    const binary = precisionAt(fitted({ binary: true }), data.test);
    const log = precisionAt(fitted({}), data.test);
    expect(log).toBeGreaterThan(binary);
  });

  test('log confidence keeps a huge count from drowning the rest, where linear confidence does not', () => {
    // Weights in the thousands, as play counts are: linear confidence then swamps the
    // regularization and the unobserved items alike, and the factors overfit every pair.
    const heavy = { ...data.train, interactions: data.train.interactions.map((x) => ({ ...x, weight: x.weight * 1000 })) };
    const log = new Als({ factors: 8, regularization: 5 });
    log.fit(heavy, { seed: 3 });
    const linear = new Als({ factors: 8, regularization: 5, logConfidence: false, alpha: 4 });
    linear.fit(heavy, { seed: 3 });
    expect(precisionAt(log, data.test)).toBeGreaterThan(precisionAt(linear, data.test));
  });

  test('an artifact saved before log confidence existed still scores with linear confidence', () => {
    const m = fitted({ logConfidence: false });
    const a = m.toArtifact();
    const { logConfidence: _dropped, ...older } = a.params as Record<string, unknown>;
    const loaded = Als.fromArtifact({ ...a, params: older });
    expect(loaded.params.logConfidence).toBe(false);
  });
});
