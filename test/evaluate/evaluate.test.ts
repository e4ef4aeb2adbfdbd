import type {
  Interaction,
  ModelArtifact,
  Recommender,
  RecommendOptions,
  Scored,
  TrainingData,
} from '../../src/recommend/recommender';
import { evaluate } from '../../src/evaluate';

/**
 * A tiny popularity model, enough to exercise the runner before the real models exist.
 * `leaky` ignores excludeSeen, to prove the runner removes seen items itself.
 */
class TinyPopularity implements Recommender {
  readonly kind = 'tiny';
  private ranking: Scored[] = [];
  private seen = new Map<string, Set<string>>();
  constructor(private readonly leaky = false) {}
  fit(data: TrainingData): void {
    const counts = new Map<string, number>();
    this.seen.clear();
    for (const x of data.interactions) {
      counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
      this.foldIn(x.user, [x]);
    }
    this.ranking = [...counts].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score || a.item.localeCompare(b.item));
  }
  recommend(user: string, k: number, options: RecommendOptions = {}): Scored[] {
    const seen = this.seen.get(user);
    if (!seen) return [];
    const skip = !this.leaky && options.excludeSeen !== false;
    return this.ranking.filter((s) => !(skip && seen.has(s.item))).slice(0, k);
  }
  similar(): Scored[] {
    return [];
  }
  foldIn(user: string, interactions: readonly Interaction[]): void {
    const set = this.seen.get(user) ?? new Set<string>();
    for (const x of interactions) set.add(x.item);
    this.seen.set(user, set);
  }
  knowsUser(user: string): boolean {
    return this.seen.has(user);
  }
  toArtifact(): ModelArtifact {
    return { kind: this.kind, format: 1, params: {}, state: {} };
  }
}

const at = (user: string, item: string): Interaction => ({ user, item, weight: 1, time: 0 });
// Popularity in train: a (3), b (2), c (1). u1 saw a; u2 saw a and b; u3 saw a, b, c.
const train = [at('u1', 'a'), at('u2', 'a'), at('u3', 'a'), at('u2', 'b'), at('u3', 'b'), at('u3', 'c')];
// u1 gets [b, c] and liked c; u2 gets [c] and liked c; u4 is cold.
const test = [at('u1', 'c'), at('u2', 'c'), at('u4', 'a')];

describe('evaluate', () => {
  it('scores users present in both parts, with seen items removed, averaged over users', () => {
    const result = evaluate(new TinyPopularity(), train, test, { k: 2 });
    expect(result.users).toBe(2);
    expect(result.coldUsers).toBe(1);
    expect(result.perUser.map((u) => u.recommended)).toEqual([['b', 'c'], ['c']]);
    // u1: 1 hit in k=2 → 0.5; u2: 1 hit → 0.5.
    expect(result.metrics.precision).toBeCloseTo(0.5);
    expect(result.metrics.recall).toBeCloseTo(1);
    // u1: hit at rank 2 → AP 1/2; u2: hit at rank 1 → 1.
    expect(result.metrics.map).toBeCloseTo(0.75);
    expect(result.metrics.ndcg).toBeCloseTo((1 / Math.log2(3) + 1) / 2);
    expect(result.coverage).toBeCloseTo(2 / 3);
    expect(result.model).toBe('tiny');
  });

  it('removes training items even when a model ignores excludeSeen', () => {
    const result = evaluate(new TinyPopularity(true), train, test, { k: 2 });
    expect(result.perUser.map((u) => u.recommended)).toEqual([['b', 'c'], ['c']]);
  });

  it('breaks results down by a user attribute', () => {
    const gender = new Map([['u1', 'F'], ['u2', 'M']]);
    const result = evaluate(new TinyPopularity(), train, test, { k: 2, groupBy: gender });
    expect(Object.keys(result.groups ?? {})).toEqual(['F', 'M']);
    expect(result.groups?.F.metrics.map).toBeCloseTo(0.5);
    expect(result.groups?.M.metrics.map).toBeCloseTo(1);
    const byFn = evaluate(new TinyPopularity(), train, test, { k: 2, groupBy: (u) => (u === 'u1' ? 'one' : undefined) });
    expect(byFn.groups).toEqual({ one: { users: 1, metrics: expect.objectContaining({ map: 0.5 }) } });
  });

  it('scores an already trained model without fitting it again', () => {
    const model = new TinyPopularity();
    model.fit({ interactions: train });
    const fit = jest.spyOn(model, 'fit');
    const result = evaluate(model, train, test, { k: 2, fit: false });
    expect(fit).not.toHaveBeenCalled();
    expect(result.trainSeconds).toBe(0);
  });

  it('counts only relevant held-out interactions when told which are', () => {
    const rated = [{ ...at('u1', 'b'), weight: 2 }, { ...at('u1', 'c'), weight: 5 }];
    const result = evaluate(new TinyPopularity(), train, rated, { k: 1, isRelevant: (x) => x.weight >= 4 });
    expect(result.perUser[0].relevant).toBe(1);
    expect(result.metrics.precision).toBe(0); // top 1 is b, which was rated low
  });

  it('rejects a k that is not a positive integer', () => {
    expect(() => evaluate(new TinyPopularity(), train, test, { k: 0 })).toThrow(/positive integer/);
  });
});
