import reference from './fixtures/silhouette-reference.json';
import { adjustedRandIndex } from '../../../src/segments/discover/ari';
import { meanSilhouette } from '../../../src/segments/discover/silhouette';

// Every value here was computed with numpy (bench/reference/silhouette_numpy.py) from the same inputs.

describe('discovery statistics against numpy', () => {
  it.each(reference.silhouette.map((c, i) => [i, c] as const))('mean silhouette, case %i', (_i, c) => {
    expect(meanSilhouette(c.points, c.labels)).toBeCloseTo(c.silhouette, 10);
  });

  it('is the mean over points, not the maximum', () => {
    // Overlapping clusters: the mean is below zero, though the best-placed points score well above it.
    const c = reference.silhouette[3];
    expect(meanSilhouette(c.points, c.labels)).toBeLessThan(0);
    expect(meanSilhouette(c.points, c.labels)).toBeCloseTo(c.silhouette, 10);
  });

  it.each(reference.ari.map((c, i) => [i, c] as const))('adjusted Rand index, case %i', (_i, c) => {
    expect(adjustedRandIndex(c.a, c.b)).toBeCloseTo(c.ari, 10);
  });

  it('ARI ignores label names and refuses labellings of different lengths', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], ['x', 'x', 'y', 'y', 'z'])).toBe(1);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(RangeError);
    expect(() => meanSilhouette([[0], [1]], [0, 0])).toThrow(RangeError);
  });
});
