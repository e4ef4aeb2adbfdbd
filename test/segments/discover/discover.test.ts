import { emptyProfile } from '../../../src/core/profile';
import { ValidationError } from '../../../src/core/errors';
import { adjustedRandIndex } from '../../../src/segments/discover/ari';
import { discoverSegments } from '../../../src/segments/discover/discover';
import { applyScaler, fitScaler } from '../../../src/segments/discover/scale';

/*
 * Discovery on a seeded population with three planted kinds of customer: big spenders who
 * order often, frequent chatters who browse yoga, and one-off buyers of camping gear; some
 * fields are missing at random. It must find the three, label them by what sets them apart,
 * and give the same answer for the same seed.
 */

import { FEATURES, NOW, at, population } from './population';

describe('discoverSegments', () => {
  it.each([
    ['kmeans', 'zscore', 'median'],
    ['kmeans', 'minmax', 'mean'],
    ['ward', 'zscore', 'mean'],
    ['ward', 'minmax', 'median'],
  ] as const)('recovers the planted groups with %s, %s scaling and %s imputation', (method, scaling, imputation) => {
    const { profiles, planted } = population(7);
    const d = discoverSegments(profiles, { features: FEATURES, method, scaling, imputation, nowMs: NOW, seed: 5 });
    expect(d.k).toBe(3);
    expect(adjustedRandIndex(d.assignments, planted)).toBeGreaterThanOrEqual(0.9);
    expect(d.features).toEqual(['orders', 'revenue', 'counts.turns', 'affinities.camping', 'affinities.yoga', 'traits.loyalty']);
    expect(d.silhouettes.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('labels clusters by their distinguishing traits', () => {
    const { profiles, planted } = population(8);
    const d = discoverSegments(profiles, { features: FEATURES, nowMs: NOW });
    const labelOf = (group: number) => d.clusters[d.assignments[planted.indexOf(group)]].label;
    expect(labelOf(0)).toMatch(/^(frequent orders, high revenue|high revenue, frequent orders)$/);
    expect(labelOf(1)).toMatch(/chatty|high yoga interest/);
    expect(labelOf(2)).toMatch(/high camping interest/);
    expect(new Set(d.clusters.map((c) => c.suggestedId)).size).toBe(3);
    for (const c of d.clusters) expect(c.suggestedId).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
    // Readable means: the spenders' cluster spends about what was planted.
    expect(d.clusters[d.assignments[planted.indexOf(0)]].means[1]).toBeGreaterThan(2000);
  });

  it('is reproducible: same seed, same result; clusters numbered the same way', () => {
    const { profiles } = population(9);
    const a = discoverSegments(profiles, { features: FEATURES, nowMs: NOW, seed: 3 });
    const b = discoverSegments(profiles, { features: FEATURES, nowMs: NOW, seed: 3 });
    expect(b).toEqual(a);
  });

  it('leaves out users with no known feature, and refuses what cannot be clustered', () => {
    const { profiles } = population(10, 20);
    const blank = emptyProfile('blank', at);
    const d = discoverSegments([blank, ...profiles], { features: ['traits.loyalty'], nowMs: NOW, k: { min: 2, max: 4 } });
    expect(d.assignments[0]).toBe(-1);
    expect(d.users).toBe(profiles.filter((p) => p.traits.loyalty !== undefined).length);
    expect(d.assignments.filter((a) => a >= 0)).toHaveLength(d.users);
    expect(() => discoverSegments(profiles.slice(0, 5), { features: FEATURES, nowMs: NOW })).toThrow(ValidationError);
    expect(() => discoverSegments(profiles, { features: FEATURES, nowMs: NOW, k: { min: 1, max: 3 } })).toThrow(/k is a range/);
    expect(() => discoverSegments(profiles, { features: ['counts.*'].slice(1), nowMs: NOW })).toThrow(/no features/);
  });

  it('scales min-max to [0, 1] and z-score to mean 0, deviation 1, imputing before it scales', () => {
    const rows = [[1, undefined], [3, 10], [5, 20], [7, undefined]];
    const mm = fitScaler(rows, 'minmax', 'mean');
    expect(rows.map((r) => applyScaler(mm, r))).toEqual([[0, 0.5], [1 / 3, 0], [2 / 3, 1], [1, 0.5]]);
    const z = fitScaler(rows, 'zscore', 'median');
    const scaled = rows.map((r) => applyScaler(z, r)[0]);
    expect(scaled.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    expect(scaled.reduce((s, v) => s + v * v, 0) / scaled.length).toBeCloseTo(1, 12);
    expect(fitScaler(rows, 'zscore', 'zero').fill).toEqual([0, 0]);
    expect(fitScaler(rows, 'zscore', 'median').fill).toEqual([4, 15]);
  });
});
