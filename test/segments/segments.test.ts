import { ValidationError } from '../../src/core/errors';
import { DEFAULT_SEGMENTS, Segments, type SegmentDefinition } from '../../src/segments/segments';
import { DAY, profileAt, T0 } from '../profiles/builders';

function rejection(definitions: unknown): ValidationError {
  try {
    new Segments(definitions as SegmentDefinition[]);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const pro: SegmentDefinition = { id: 'pro', rule: { field: 'traits.plan', op: 'eq', value: 'pro' } };
const buyer: SegmentDefinition = { id: 'buyer', rule: { field: 'orders', op: 'gte', value: 1 } };

describe('Segments.evaluate', () => {
  const segments = new Segments([pro, buyer]);

  test('lists the segments a profile is in, sorted, and what was entered', () => {
    const m = segments.evaluate(profileAt({ traits: { plan: 'pro' }, orders: 1 }), [], T0);
    expect(m).toEqual({ segments: ['buyer', 'pro'], entered: ['buyer', 'pro'], exited: [] });
  });

  test('reports entered and exited against the previous memberships', () => {
    const m = segments.evaluate(profileAt({ orders: 1 }), ['pro'], T0);
    expect(m).toEqual({ segments: ['buyer'], entered: ['buyer'], exited: ['pro'] });
  });

  test('staying in a segment is neither entering nor exiting', () => {
    expect(segments.evaluate(profileAt({ orders: 3 }), ['buyer'], T0)).toEqual({ segments: ['buyer'], entered: [], exited: [] });
  });

  test('memberships of segments no longer configured are exited', () => {
    expect(segments.evaluate(profileAt(), ['retired', 'buyer'], T0).exited).toEqual(['buyer', 'retired']);
  });

  test('window rules depend on the time of evaluation', () => {
    const recent = new Segments([{ id: 'recent-buyers', rule: { event: 'Order Completed', within: '7d' } }]);
    const p = profileAt({ recent: { 'Order Completed': [T0] }, counts: { 'Order Completed': 1 } });
    expect(recent.evaluate(p, [], T0 + 6 * DAY).segments).toEqual(['recent-buyers']);
    expect(recent.evaluate(p, ['recent-buyers'], T0 + 8 * DAY)).toEqual({ segments: [], entered: [], exited: ['recent-buyers'] });
  });
});

describe('default segments', () => {
  const segments = new Segments();
  const ids = (over: Parameters<typeof profileAt>[0]) => segments.evaluate(profileAt(over), [], T0).segments;

  test('a newcomer is a new visitor, a big buyer is a recent buyer and big spender', () => {
    expect(ids({ counts: { turns: 1 } })).toEqual(['new-visitors']);
    expect(ids({ counts: { turns: 9, 'Order Completed': 1 }, recent: { 'Order Completed': [T0 - DAY] }, orders: 1, revenue: 600 })).toEqual(['big-spenders', 'recent-buyers']);
  });

  test('three views in a month and no order make a window shopper', () => {
    const views = { 'Product Viewed': [T0 - 20 * DAY, T0 - 10 * DAY, T0 - DAY] };
    expect(ids({ counts: { turns: 5, 'Product Viewed': 3 }, recent: views })).toEqual(['window-shoppers']);
    expect(ids({ counts: { turns: 5, 'Product Viewed': 3 }, recent: views, orders: 1 })).toEqual([]);
  });

  test('DEFAULT_SEGMENTS is what the constructor uses by default', () => {
    expect(segments.definitions.map((d) => d.id)).toEqual(DEFAULT_SEGMENTS.map((d) => d.id));
  });
});

describe('Segments.toneFor', () => {
  const segments = new Segments([
    { id: 'low', rule: pro.rule, tone: 'friendly', priority: 1 },
    { id: 'high', rule: pro.rule, tone: 'formal', priority: 5 },
    { id: 'toneless', rule: pro.rule, priority: 100 },
    { id: 'first-tie', rule: pro.rule, tone: 'concise' },
    { id: 'second-tie', rule: pro.rule, tone: 'empathetic' },
  ]);

  test('the highest-priority member segment that sets a tone wins', () => {
    expect(segments.toneFor(['low', 'high', 'toneless'])).toBe('formal');
    expect(segments.toneFor(['low', 'toneless'])).toBe('friendly');
  });

  test('on equal priority the segment configured first wins', () => {
    expect(segments.toneFor(['second-tie', 'first-tie'])).toBe('concise');
  });

  test('no member segment with a tone, no tone', () => {
    expect(segments.toneFor(['toneless', 'unknown'])).toBeUndefined();
    expect(segments.toneFor([])).toBeUndefined();
  });

  test('priority defaults to 0, below any positive priority', () => {
    expect(segments.toneFor(['first-tie', 'low'])).toBe('friendly');
  });
});

describe('invalid definitions', () => {
  test('name the offending path', () => {
    expect(rejection([pro, { id: 'Bad Id', rule: pro.rule }]).issues.map((i) => i.path)).toEqual([[1, 'id']]);
    expect(rejection([{ id: 'x', rule: { all: [pro.rule, { event: 'E', within: 'soon' }] } }]).issues.map((i) => i.path)).toEqual([[0, 'rule', 'all', 1, 'within']]);
    expect(rejection([{ id: 'x', rule: pro.rule, tone: 'sarcastic' }]).issues.map((i) => i.path)).toEqual([[0, 'tone']]);
  });

  test('an unknown operator is reported at the operator, not at the whole rule', () => {
    const err = rejection([{ id: 'x', rule: { all: [{ field: 'orders', op: 'between', value: 1 }] } }]);
    expect(err.issues.map((i) => i.path)).toEqual([[0, 'rule', 'all', 0, 'op']]);
  });

  test('messages carry the paths', () => {
    expect(rejection([{ id: 'x', rule: { event: 'E', within: 'soon' } }]).message).toBe('invalid segments: 0.rule.within: expected a duration such as 7d, 24h, 30m');
  });

  test('a duplicate id is rejected at the second occurrence', () => {
    const err = rejection([pro, buyer, { ...pro, tone: 'formal' }]);
    expect(err.issues).toEqual([{ path: [2, 'id'], message: 'duplicate segment id' }]);
    expect(err.message).toBe('invalid segments: 2.id: duplicate segment id');
  });

  test('min above max can never hold and is rejected', () => {
    expect(rejection([{ id: 'x', rule: { event: 'E', min: 3, max: 1 } }]).message).toBe('invalid segments: 0.rule.min: min is above max: the rule could never hold');
  });
});
