import { classify, feedbackConfig, type Feedback, type FeedbackSignal } from '../../src/learning/feedback-types';
import { applyFeedback, demotions, emptyOnlineState, ONLINE_LIMITS, parseOnlineState, spreadDemotions } from '../../src/learning/online-state';
import { signalsOfEvent, signalsOfTurn } from '../../src/learning/signals';
import type { Turn } from '../../src/core/turn';

const config = feedbackConfig();
const DAY = 86_400_000;
const fb = (s: Omit<FeedbackSignal, 'at'>, at = 0): Feedback => {
  const f = classify({ ...s, at }, config);
  if (!f) throw new Error(`unclassified ${s.name}`);
  return f;
};
const shown = (items: string[], at = 0) => fb({ source: 'event', name: 'Recommendation Shown', items }, at);

describe('feedback types', () => {
  it('classifies by source, name and thresholds, first matching type first', () => {
    expect(classify({ source: 'reaction', name: 'Dislike', items: [], at: 0 }, config)).toMatchObject({ type: 'thumbs_down', kind: 'negative', weight: 1, expiresAt: 30 * DAY });
    expect(classify({ source: 'event', name: 'Product Reviewed', items: ['p'], rating: 5, at: 0 }, config)?.type).toBe('rating_high');
    expect(classify({ source: 'event', name: 'Product Reviewed', items: ['p'], rating: 1, at: 0 }, config)?.type).toBe('rating_low');
    // Neither ≥ 4 nor ≤ 2, and a review without a rating meets no threshold.
    expect(classify({ source: 'event', name: 'Product Reviewed', items: ['p'], rating: 3, at: 0 }, config)).toBeUndefined();
    expect(classify({ source: 'event', name: 'Product Reviewed', items: ['p'], at: 0 }, config)).toBeUndefined();
    expect(classify({ source: 'event', name: 'Product Viewed', items: ['p'], dwellMs: 12_000, at: 0 }, config)?.type).toBe('long_view');
    expect(classify({ source: 'event', name: 'Product Viewed', items: ['p'], dwellMs: 2_000, at: 0 }, config)).toBeUndefined();
    expect(classify({ source: 'helpful', name: 'yes', items: [], at: 0 }, config)?.type).toBe('thumbs_up');
  });

  it('refuses a configuration that is not one, naming the field', () => {
    expect(() => feedbackConfig({ types: [{ name: 'x', kind: 'sideways', weight: 1, ttlSeconds: 1 }] })).toThrow(/kind/);
    expect(() => feedbackConfig({ types: [{ name: 'x', kind: 'positive', weight: -1, ttlSeconds: 1 }] })).toThrow(/weight/);
    expect(() => feedbackConfig({ types: [] })).toThrow();
  });

  it('reads signals off turns and events in the neutral shapes', () => {
    const turn = (t: Partial<Turn>): Turn => ({ id: 't', userId: 'u', sessionId: 's', channel: 'c', kind: 'message', signals: {}, timestamp: '2026-01-01T00:00:00.000Z', ...t });
    expect(signalsOfTurn(turn({ kind: 'reaction', reaction: { type: 'like', added: false } }))).toEqual([]);
    expect(signalsOfTurn(turn({ intent: 'rate', entities: { sku: 'p9', rating: '4' } }))).toEqual([{ source: 'intent', name: 'rate', items: ['p9'], rating: 4, at: Date.parse('2026-01-01') }]);
    expect(signalsOfTurn(turn({ value: { attune: 'view', itemId: 'p1' } }))[0]).toMatchObject({ source: 'click', items: ['p1'] });
    // A payload is user input: the item list is bounded.
    expect(signalsOfTurn(turn({ value: { attune: 'feedback', helpful: true, items: Array.from({ length: 80 }, (_, i) => `p${i}`) } }))[0].items).toHaveLength(50);
    const ev = { type: 'track' as const, messageId: 'm', userId: 'u', event: 'Order Completed', properties: { products: [{ product_id: 'a' }, { product_id: 'b' }] }, traits: {}, context: {}, timestamp: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z' };
    expect(signalsOfEvent(ev)).toEqual([{ source: 'event', name: 'Order Completed', items: ['a', 'b'], at: Date.parse('2026-01-01') }]);
  });
});

describe('one user online delta', () => {
  it('counts an item shown 3 times without a positive as ignored, and a click clears it', () => {
    let s = emptyOnlineState();
    for (let n = 0; n < 2; n++) s = applyFeedback(s, [shown(['a', 'b'])], 0);
    expect(demotions(s, config, 0).size).toBe(0);
    s = applyFeedback(s, [shown(['a', 'b'])], 0);
    expect(demotions(s, config, 0)).toEqual(
      new Map([
        ['a', config.ignoredWeight],
        ['b', config.ignoredWeight],
      ]),
    );
    s = applyFeedback(s, [fb({ source: 'click', name: 'click', items: ['a'] })], 0);
    expect([...demotions(s, config, 0).keys()]).toEqual(['b']);
    expect(s.positives.map((p) => p.item)).toEqual(['a']);
  });

  it('applies a reaction without items to the last list shown, and a later like undoes a dislike', () => {
    let s = applyFeedback(emptyOnlineState(), [shown(['x', 'y'])], 0);
    s = applyFeedback(s, [fb({ source: 'reaction', name: 'dislike', items: [] })], 0);
    expect(demotions(s, config, 0)).toEqual(new Map([['x', 1], ['y', 1]]));
    s = applyFeedback(s, [fb({ source: 'reaction', name: 'like', items: ['x'] })], 0);
    expect([...demotions(s, config, 0).keys()]).toEqual(['y']);
  });

  it('forgets what expired and stays within its bounds', () => {
    let s = applyFeedback(emptyOnlineState(), [fb({ source: 'reaction', name: 'dislike', items: ['old'] })], 0);
    expect(demotions(s, config, 31 * DAY).size).toBe(0);
    s = applyFeedback(s, [fb({ source: 'event', name: 'Product Added', items: Array.from({ length: 50 }, (_, i) => `i${i}`) }, 31 * DAY)], 31 * DAY);
    expect(s.negatives).toEqual([]);
    for (let n = 0; n < 5; n++) s = applyFeedback(s, [fb({ source: 'event', name: 'Product Added', items: Array.from({ length: 50 }, (_, i) => `n${n}-${i}`) })], 0);
    expect(s.positives.length).toBe(ONLINE_LIMITS.positives);
    expect(s.positives[0].item).toBe('n4-49');
  });

  it('spreads an explicit negative to neighbours by share × similarity, never above the item itself', () => {
    const near = (item: string) => (item === 'a' ? [{ item: 'b', score: 0.9 }, { item: 'c', score: 0.2 }, { item: 'a2', score: 1.5 }] : []);
    const spread = spreadDemotions(new Map([['a', 1]]), near, { share: 0.3 });
    expect(spread.get('a')).toBe(1);
    expect(spread.get('b')).toBeCloseTo(0.27);
    expect(spread.get('c')).toBeCloseTo(0.06);
    expect(spread.get('a2')).toBeCloseTo(0.3);
    // Ignored items do not spread: being passed over says nothing about similar items.
    let s = emptyOnlineState();
    for (let n = 0; n < 3; n++) s = applyFeedback(s, [shown(['a'])], 0);
    expect([...demotions(s, config, 0, near).keys()]).toEqual(['a']);
  });

  it('drops a damaged stored delta instead of serving it', () => {
    expect(parseOnlineState('{"revision":1,"positives":[{"item":3}],"negatives":[],"shown":[]}')).toBeUndefined();
    expect(parseOnlineState('not json')).toBeUndefined();
    const s = applyFeedback(emptyOnlineState(), [shown(['a'])], 0);
    expect(parseOnlineState(JSON.stringify(s))).toEqual(s);
  });
});
