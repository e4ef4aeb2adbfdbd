import { assign, bucketRanges, chooseVariant, fnv1a32, hash, inNamespace, type ExperimentDefinition } from '../../src/experiments';

describe('hashing', () => {
  it('is FNV-1a 32 on UTF-16 code units (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('puts buckets in [0, 1) with four decimals (version 2) or three (version 1)', () => {
    for (let i = 0; i < 1000; i++) {
      const v2 = hash('seed', `u${i}`);
      const v1 = hash('seed', `u${i}`, 1);
      expect(v2).toBeGreaterThanOrEqual(0);
      expect(v2).toBeLessThan(1);
      expect(Math.round(v2 * 10000)).toBeCloseTo(v2 * 10000, 6);
      expect(Math.round(v1 * 1000)).toBeCloseTo(v1 * 1000, 6);
    }
  });

  it('lays weights out left to right with coverage taken from the start of each stretch', () => {
    expect(bucketRanges(2, 0.5, [0.4, 0.6])).toEqual([
      [0, 0.2],
      [0.4, 0.7],
    ]);
    expect(chooseVariant(0.3, bucketRanges(2, 0.5, [0.4, 0.6]))).toBe(-1);
    expect(chooseVariant(0.69, bucketRanges(2, 0.5, [0.4, 0.6]))).toBe(1);
  });

  it('a namespace slice is half-open', () => {
    const n = hash('__ns', 'user-1', 1);
    expect(inNamespace('user-1', ['ns', n, n + 0.001])).toBe(true);
    expect(inNamespace('user-1', ['ns', 0, n])).toBe(false);
  });
});

describe('assign', () => {
  const exp: ExperimentDefinition = { key: 'tone', variants: ['control', 'friendly', 'formal'] };

  it('is deterministic and spreads users by the weights', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const a = assign({ ...exp, weights: [0.5, 0.3, 0.2] }, `u${i}`);
      expect(a).toEqual(assign({ ...exp, weights: [0.5, 0.3, 0.2] }, `u${i}`));
      if (a.inExperiment) counts[a.index]++;
    }
    expect(counts.map((c) => c / 30_000)).toEqual([expect.closeTo(0.5, 1), expect.closeTo(0.3, 1), expect.closeTo(0.2, 1)]);
  });

  it('keeps a stored variant of the current version even when the hash says otherwise and coverage dropped', () => {
    const a = assign({ ...exp, coverage: 0 }, 'u1', { variant: 'formal', bucketVersion: 0 });
    expect(a).toMatchObject({ inExperiment: true, variant: 'formal', index: 2, sticky: true });
  });

  it('ignores a stored variant of another version or one that no longer exists', () => {
    const fresh = assign(exp, 'u1');
    expect(assign({ ...exp, bucketVersion: 2 }, 'u1', { variant: 'formal', bucketVersion: 1 })).toMatchObject({ sticky: false, bucketVersion: 2 });
    expect(assign(exp, 'u1', { variant: 'gone', bucketVersion: 0 })).toEqual(fresh);
  });

  it('excludes users stored under a version below the minimum', () => {
    expect(assign({ ...exp, bucketVersion: 3, minBucketVersion: 2 }, 'u1', { variant: 'control', bucketVersion: 1 })).toEqual({
      inExperiment: false,
      reason: 'blocked',
    });
    expect(assign({ ...exp, bucketVersion: 3, minBucketVersion: 2 }, 'u1', { variant: 'control', bucketVersion: 2 })).toMatchObject({ sticky: false });
  });

  it('says why a user is out', () => {
    expect(assign({ key: 'k', variants: ['only'] }, 'u1')).toEqual({ inExperiment: false, reason: 'invalid' });
    expect(assign(exp, '')).toEqual({ inExperiment: false, reason: 'missing-id' });
    expect(assign({ ...exp, coverage: 0 }, 'u1')).toEqual({ inExperiment: false, reason: 'coverage' });
    expect(assign({ ...exp, namespace: ['ns', 0, 0] }, 'u1')).toEqual({ inExperiment: false, reason: 'namespace' });
  });
});
