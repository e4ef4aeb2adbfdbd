/**
 * EASE on catalogs of every shape: the user form (Woodbury) gives the same model as the item
 * form, a catalog over `maxItems` is pruned instead of refused and keeps its quality within a
 * stated bound, and λ is tuned on a validation split of the training data.
 */
import { Ease } from '../../src/recommend/models/ease';
import { loadRecommender } from '../../src/recommend/models';
import type { ModelArtifact } from '../../src/recommend/recommender';
import { Popularity } from '../../src/recommend/models/pop';
import { searchLambda } from '../../src/recommend/models/ease-tune';
import { tuneOnValidation } from '../../src/recommend/models/tune';
import { precisionAt, synthetic } from './synthetic';

describe('Ease', () => {
  // More items than users, so the user form applies unless maxUsers forbids it.
  const wide = synthetic({ users: 90, items: 240, groups: 4, perUser: 25, seed: 31 });

  test('the user form (users < items) is the same model as the item form', () => {
    const userForm = new Ease({ lambda: 40, tune: false });
    const itemForm = new Ease({ lambda: 40, tune: false, maxUsers: 1 });
    userForm.fit(wide.train);
    itemForm.fit(wide.train);
    expect(userForm.solved.form).toBe('user');
    expect(itemForm.solved.form).toBe('item');
    for (const u of ['u0', 'u5', 'u17', 'u60']) {
      const a = userForm.recommend(u, 10);
      const b = itemForm.recommend(u, 10);
      expect(a.map((s) => s.item)).toEqual(b.map((s) => s.item));
      a.forEach((s, r) => expect(s.score).toBeCloseTo(b[r].score, 4));
    }
    const simA = userForm.similar('i3', 5);
    const simB = itemForm.similar('i3', 5);
    expect(simA.map((s) => s.item)).toEqual(simB.map((s) => s.item));
  });

  test('the user form survives its artifact and folds in new users', () => {
    const m = new Ease({ lambda: 40, tune: false });
    m.fit(wide.train);
    const back = loadRecommender(JSON.parse(JSON.stringify(m.toArtifact())) as ModelArtifact);
    for (const u of ['u1', 'u2', 'u33']) expect(back.recommend(u, 10)).toEqual(m.recommend(u, 10));
    const items = wide.items.filter((it) => wide.groupOfItem(it.id) === 1).slice(0, 6);
    back.foldIn('newcomer', items.map((it, n) => ({ user: 'newcomer', item: it.id, weight: 1, time: n })));
    const recs = back.recommend('newcomer', 10);
    expect(recs.filter((r) => wide.groupOfItem(r.item) === 1).length).toBeGreaterThanOrEqual(7);
  });

  test('with EDLAE dropout, the user form is the same model as the item form and survives its artifact', () => {
    const userForm = new Ease({ lambda: 20, dropout: 0.5, tune: false });
    const itemForm = new Ease({ lambda: 20, dropout: 0.5, tune: false, maxUsers: 1 });
    const plain = new Ease({ lambda: 20, tune: false });
    userForm.fit(wide.train);
    itemForm.fit(wide.train);
    plain.fit(wide.train);
    expect(userForm.solved.form).toBe('user');
    expect(itemForm.solved.form).toBe('item');
    const back = loadRecommender(JSON.parse(JSON.stringify(userForm.toArtifact())) as ModelArtifact);
    let differs = false;
    for (const u of ['u0', 'u5', 'u17', 'u60']) {
      const a = userForm.recommend(u, 10);
      const b = itemForm.recommend(u, 10);
      expect(a.map((s) => s.item)).toEqual(b.map((s) => s.item));
      a.forEach((s, r) => expect(s.score).toBeCloseTo(b[r].score, 4));
      expect(back.recommend(u, 10)).toEqual(a);
      const c = plain.recommend(u, 10);
      differs ||= c.some((s, r) => Math.abs(s.score - a[r].score) > 1e-3);
    }
    expect(differs).toBe(true);
    expect(userForm.similar('i3', 5).map((s) => s.item)).toEqual(itemForm.similar('i3', 5).map((s) => s.item));
  });

  // More users than items, and the user form ruled out: the item form, where maxItems prunes.
  const tall = synthetic({ users: 400, items: 200, groups: 5, perUser: 20, seed: 32 });

  test('solves a catalog over maxItems exactly in the user form when the users are few enough', () => {
    const m = new Ease({ lambda: 100, tune: false, maxItems: 100 });
    m.fit(tall.train);
    expect(m.solved).toEqual({ lambda: 100, form: 'user', items: 200, kept: 200 });
  });

  test('prunes a catalog over maxItems to its most-interacted items instead of refusing it', () => {
    const full = new Ease({ lambda: 100, tune: false });
    const pruned = new Ease({ lambda: 100, tune: false, maxItems: 100, maxUsers: 1 });
    full.fit(tall.train);
    expect(() => pruned.fit(tall.train)).not.toThrow();
    expect(pruned.solved).toEqual({ lambda: 100, form: 'item', items: 200, kept: 100 });
    // Stated bound: half the catalog kept, at least 90% of the full model's precision@10.
    const pFull = precisionAt(full, tall.test);
    const pPruned = precisionAt(pruned, tall.test);
    expect(pPruned).toBeGreaterThanOrEqual(0.9 * pFull);
    const pop = new Popularity();
    pop.fit(tall.train);
    expect(pPruned).toBeGreaterThan(1.3 * precisionAt(pop, tall.test));
  });

  test('scores the pruned tail below every kept item, most interacted first', () => {
    const pruned = new Ease({ lambda: 100, tune: false, maxItems: 100, maxUsers: 1 });
    pruned.fit(tall.train);
    const counts = new Map<string, number>();
    for (const x of tall.train.interactions) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const threshold = ranked[99][1];
    const all = pruned.recommend('u0', 200);
    const seen = new Set(tall.train.interactions.filter((x) => x.user === 'u0').map((x) => x.item));
    expect(all.length).toBe(200 - seen.size);
    // Once the tail starts (an item below the kept threshold), nothing above it follows.
    const firstTail = all.findIndex((s) => (counts.get(s.item) ?? 0) < threshold);
    expect(firstTail).toBeGreaterThan(0);
    const tail = all.slice(firstTail);
    expect(tail.every((s) => (counts.get(s.item) ?? 0) <= threshold)).toBe(true);
    const tailCounts = tail.filter((s) => (counts.get(s.item) ?? 0) < threshold).map((s) => counts.get(s.item) ?? 0);
    expect(tailCounts).toEqual([...tailCounts].sort((a, b) => b - a));
    const back = loadRecommender(JSON.parse(JSON.stringify(pruned.toArtifact())) as ModelArtifact);
    expect(back.recommend('u0', 200)).toEqual(all);
  });

  test('tunes λ on a validation split of the training data, deterministically', () => {
    const a = new Ease({ lambda: 80 });
    const b = new Ease({ lambda: 80 });
    a.fit(tall.train, { seed: 4 });
    b.fit(tall.train, { seed: 4 });
    // On the half-octave grid from ⅛λ to 4λ.
    const h = 2 * Math.log2(a.solved.lambda / 80);
    expect(Math.abs(h - Math.round(h))).toBeLessThan(1e-9);
    expect(h).toBeGreaterThanOrEqual(-6);
    expect(h).toBeLessThanOrEqual(4);
    expect(a.solved.lambda).toBe(b.solved.lambda);
    // A λ far too small for this data (it overfits) is tuned up.
    const small = new Ease({ lambda: 0.5 });
    small.fit(tall.train, { seed: 4 });
    expect(small.solved.lambda).toBeGreaterThan(0.5);
  });

  test.each([
    ['item side (users ≥ items)', tall, {}],
    ['user side (users < items)', wide, {}],
    ['pruned item form', tall, { maxItems: 120, maxUsers: 1 }],
    ['item side with EDLAE dropout', tall, { dropout: 0.3 }],
    ['user side with EDLAE dropout', wide, { dropout: 0.3 }],
  ] as const)('the fast validation nDCG on the %s equals fitting a model per λ', (_name, data, extra) => {
    const tuned = new Ease({ lambda: 60, ...extra }).tune(data.train, 9);
    expect(tuned.tried.length).toBeGreaterThanOrEqual(3);
    const reference = tuneOnValidation(
      data.train,
      tuned.tried.map((t) => t.lambda),
      (lambda) => new Ease({ lambda, tune: false, ...extra }),
      { fraction: 0.2, seed: 9, k: 10, maxUsers: 1000 },
    );
    reference.scores.forEach((r, n) => expect(tuned.tried[n].ndcg).toBeCloseTo(r.ndcg, 6));
    // The search returns the best point it tried.
    expect(tuned.tried.find((t) => t.lambda === tuned.best)?.ndcg).toBe(Math.max(...tuned.tried.map((t) => t.ndcg)));
  });

  test('the λ search walks to the best point of a unimodal validation curve', () => {
    // Peak at 4·start (h = +4, the top of the grid) and at start/4 (h = −4).
    for (const peak of [4, 0.25, 1]) {
      const found = searchLambda((l) => -Math.abs(Math.log2(l / (100 * peak))), 100, -6, 4);
      expect(found.best).toBeCloseTo(100 * peak, 9);
      expect(found.tried.length).toBeLessThanOrEqual(7);
    }
    // Never outside the grid, even when the curve keeps rising.
    expect(searchLambda((l) => l, 100, -6, 4).best).toBeCloseTo(400, 9);
    expect(searchLambda((l) => -l, 100, -6, 4).best).toBeCloseTo(100 / 8, 9);
  });

  test('still loads a format-1 artifact (the full B)', () => {
    const m = new Ease({ lambda: 100, tune: false });
    m.fit(tall.train);
    const art = m.toArtifact();
    const n = (art.state.items as string[]).length;
    const state: Record<string, unknown> = { ...art.state };
    for (const key of ['form', 'lambda', 'column', 'counts']) delete state[key];
    const old: ModelArtifact = { ...art, format: 1, params: { lambda: 100, binary: true, maxItems: 6000 }, state: { ...state, b: art.state.b } };
    expect(n).toBe(200);
    const back = loadRecommender(old);
    expect(back.recommend('u3', 10)).toEqual(m.recommend('u3', 10));
  });
});
