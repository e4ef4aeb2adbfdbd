import type { Interaction } from '../../src/recommend/recommender';
import {
  kFold,
  leaveLastOut,
  mulberry32,
  stratifiedSplit,
  temporalSplit,
  trainValidationTest,
  type Split,
} from '../../src/evaluate';

/** A seeded log with skewed user and item activity, distinct (user, item) pairs. */
function log(seed = 1, users = 40, items = 60): Interaction[] {
  const rng = mulberry32(seed);
  const out: Interaction[] = [];
  for (let u = 0; u < users; u++) {
    const n = 1 + Math.floor(rng() * 25);
    const picked = new Set<number>();
    while (picked.size < n) picked.add(Math.floor(rng() ** 2 * items));
    for (const i of picked) out.push({ user: `u${u}`, item: `i${i}`, weight: 1, time: Math.floor(rng() * 1e9) });
  }
  return out;
}

const data = log();
const key = (x: Interaction) => `${x.user}|${x.item}|${x.time}`;
const count = (xs: readonly Interaction[], by: (x: Interaction) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(by(x), (m.get(by(x)) ?? 0) + 1);
  return m;
};

function expectPartition(parts: readonly (readonly Interaction[])[]): void {
  const seen = new Set<string>();
  for (const part of parts) for (const x of part) {
    expect(seen.has(key(x))).toBe(false); // no leakage: no interaction in two parts
    seen.add(key(x));
  }
  expect(seen.size).toBe(data.length); // nothing lost
}

describe('stratifiedSplit', () => {
  it.each(['user', 'item'] as const)('keeps ⌊0.75·n⌋ of every %s in train, the rest in test', (by) => {
    const { train, test } = stratifiedSplit(data, { ratio: 0.75, by, seed: 3 });
    expectPartition([train, test]);
    const all = count(data, (x) => x[by]);
    const inTrain = count(train, (x) => x[by]);
    for (const [group, n] of all) expect(inTrain.get(group) ?? 0).toBe(Math.floor(0.75 * n));
  });

  it('gives a group of one wholly to test, as Microsoft Recommenders does', () => {
    const one: Interaction[] = [{ user: 'solo', item: 'x', weight: 1, time: 0 }];
    expect(stratifiedSplit(one, { by: 'user' }).test).toEqual(one);
  });

  it('is reproducible under a seed and changes with it', () => {
    const a = stratifiedSplit(data, { by: 'item', seed: 42 });
    const b = stratifiedSplit(data, { by: 'item', seed: 42 });
    const c = stratifiedSplit(data, { by: 'item', seed: 43 });
    expect(a).toEqual(b);
    expect(a.test.map(key)).not.toEqual(c.test.map(key));
  });

  it('does not change its input and keeps input order within parts', () => {
    const copy = data.map((x) => ({ ...x }));
    const { train } = stratifiedSplit(data, { seed: 5 });
    expect(data).toEqual(copy);
    const position = new Map(data.map((x, i) => [key(x), i]));
    const idx = train.map((x) => position.get(key(x)) ?? -1);
    expect(idx).toEqual([...idx].sort((p, q) => p - q));
  });

  it('rejects a ratio outside (0, 1)', () => {
    expect(() => stratifiedSplit(data, { ratio: 1 })).toThrow(/between 0 and 1/);
  });
});

describe('trainValidationTest', () => {
  it('partitions 70/15/15 within each user by default', () => {
    const { train, validation, test } = trainValidationTest(data, { seed: 9 });
    expectPartition([train, validation, test]);
    const share = train.length / data.length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.75);
    const all = count(data, (x) => x.user);
    const inTrain = count(train, (x) => x.user);
    for (const [user, n] of all) expect(inTrain.get(user) ?? 0).toBe(Math.floor(0.7 * n + 1e-9));
  });
});

describe('temporalSplit', () => {
  it('per user: every test interaction is no older than that user’s train interactions', () => {
    const { train, test } = temporalSplit(data, { ratio: 0.8 });
    expectPartition([train, test]);
    const newestTrain = new Map<string, number>();
    for (const x of train) newestTrain.set(x.user, Math.max(newestTrain.get(x.user) ?? -Infinity, x.time));
    for (const x of test) expect(x.time).toBeGreaterThanOrEqual(newestTrain.get(x.user) ?? -Infinity);
  });

  it('global: one cut-off time separates train from test', () => {
    const { train, test } = temporalSplit(data, { ratio: 0.75, scope: 'global' });
    expectPartition([train, test]);
    expect(train.length).toBe(Math.floor(0.75 * data.length));
    expect(Math.min(...test.map((x) => x.time))).toBeGreaterThanOrEqual(Math.max(...train.map((x) => x.time)));
  });
});

describe('leaveLastOut', () => {
  it('holds out each user’s newest interaction, and nobody with a single one', () => {
    const { train, test } = leaveLastOut(data);
    expectPartition([train, test]);
    const all = count(data, (x) => x.user);
    const tested = count(test, (x) => x.user);
    for (const [user, n] of all) expect(tested.get(user) ?? 0).toBe(n > 1 ? 1 : 0);
    for (const x of test) {
      for (const y of train) if (y.user === x.user) expect(y.time).toBeLessThanOrEqual(x.time);
    }
  });
});

describe('kFold', () => {
  const folds: Split[] = kFold(data, { folds: 5, seed: 11 });

  it('tests every interaction exactly once across the folds', () => {
    expectPartition(folds.map((f) => f.test));
  });

  it('trains each fold on exactly the other folds’ test parts', () => {
    folds.forEach((fold, i) => {
      expectPartition([fold.train, fold.test]);
      const others = folds.filter((_, j) => j !== i).flatMap((f) => f.test.map(key));
      expect(new Set(fold.train.map(key))).toEqual(new Set(others));
    });
  });

  it('spreads each user evenly: fold counts differ by at most one', () => {
    const all = count(data, (x) => x.user);
    for (const user of all.keys()) {
      const sizes = folds.map((f) => f.test.filter((x) => x.user === user).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('is reproducible under a seed', () => {
    expect(kFold(data, { folds: 5, seed: 11 })).toEqual(folds);
  });
});
