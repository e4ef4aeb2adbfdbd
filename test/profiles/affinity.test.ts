import { AFFINITY_HALF_LIFE_MS, decayAffinities, topAffinities } from '../../src/profiles/affinity';

describe('decayAffinities', () => {
  const H = AFFINITY_HALF_LIFE_MS;

  test('one half-life halves every affinity, two quarter them', () => {
    expect(decayAffinities({ a: 8, b: -4 }, 0, H)).toEqual({ a: 4, b: -2 });
    expect(decayAffinities({ a: 8 }, 1000, 1000 + 2 * H)).toEqual({ a: 2 });
  });

  test('a custom half-life is honoured', () => {
    expect(decayAffinities({ a: 8 }, 0, 10, 10)).toEqual({ a: 4 });
  });

  test('no time passed, or time going backwards, changes nothing and returns a copy', () => {
    const input = { a: 3 };
    const same = decayAffinities(input, 100, 100);
    expect(same).toEqual(input);
    expect(same).not.toBe(input);
    expect(decayAffinities(input, 100, 50)).toEqual(input);
  });

  test('values that decayed to almost nothing are dropped', () => {
    expect(decayAffinities({ a: 1, b: 1000 }, 0, 10 * H)).toEqual({ b: 1000 / 1024 });
  });
});

describe('topAffinities', () => {
  test('best first, positives only, ties by name, at most n', () => {
    expect(topAffinities({ yoga: 2, camping: 5, running: 2, swim: -3, golf: 0 }, 3)).toEqual([
      { category: 'camping', score: 5 },
      { category: 'running', score: 2 },
      { category: 'yoga', score: 2 },
    ]);
    expect(topAffinities({ a: 1 }, 0)).toEqual([]);
  });
});
