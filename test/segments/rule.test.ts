import { durationMs, evaluateRule, RuleSchema, type ComparisonOp, type Rule } from '../../src/segments/rule';
import { DAY, iso, profileAt, T0 } from '../profiles/builders';

const pro = profileAt({
  traits: { plan: 'pro', age: 34, score: '12', tags: ['vip', 'early'], email: 'Ann@Example.com', nothing: null, address: { city: 'Lyon' } },
  counts: { turns: 3, 'Product Viewed': 4 },
  affinities: { running: 5, yoga: 2 },
  orders: 2,
  revenue: 150,
  context: { locale: 'fr-FR' },
});
const field = (f: string, op: ComparisonOp, value?: unknown): Rule => ({ field: f, op, value });
const holds = (rule: Rule, p = pro, now = T0) => evaluateRule(rule, p, now);

describe('field rules', () => {
  test.each<[string, ComparisonOp, unknown, boolean]>([
    ['traits.plan', 'eq', 'pro', true],
    ['traits.plan', 'eq', 'Pro', false],
    ['traits.plan', 'neq', 'free', true],
    ['traits.plan', 'neq', 'pro', false],
    ['revenue', 'gt', 150, false],
    ['revenue', 'gte', 150, true],
    ['revenue', 'lt', 151, true],
    ['revenue', 'lte', 149, false],
    ['traits.score', 'gt', 10, true],
    ['traits.age', 'gte', '34', true],
    ['traits.plan', 'in', ['pro', 'team'], true],
    ['traits.plan', 'in', ['free'], false],
    ['traits.plan', 'nin', ['free'], true],
    ['traits.plan', 'nin', ['pro'], false],
    ['traits.tags', 'contains', 'vip', true],
    ['traits.tags', 'contains', 'VIP', false],
    ['traits.email', 'contains', 'example.COM', true],
    ['traits.email', 'contains', 'gmail', false],
    ['traits.plan', 'exists', undefined, true],
    ['traits.plan', 'missing', undefined, false],
    ['traits.address.city', 'eq', 'Lyon', true],
    ['context.locale', 'eq', 'fr-FR', true],
    ['orders', 'eq', 2, true],
  ])('%s %s %j is %s', (f, op, value, expected) => {
    expect(holds(field(f, op, value))).toBe(expected);
  });

  test('a missing or null field exists for no one and compares to nothing', () => {
    for (const f of ['traits.unknown', 'traits.nothing', 'traits.address.zip', 'traits.plan.deeper']) {
      expect(holds(field(f, 'exists'))).toBe(false);
      expect(holds(field(f, 'missing'))).toBe(true);
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) expect(holds(field(f, op, 0))).toBe(false);
      expect(holds(field(f, 'eq', 'x'))).toBe(false);
      expect(holds(field(f, 'contains', 'x'))).toBe(false);
    }
  });

  test('a counter or affinity that never ticked is zero, not missing', () => {
    expect(holds(field('counts.Order Completed', 'eq', 0))).toBe(true);
    expect(holds(field('counts.Order Completed', 'lte', 1))).toBe(true);
    expect(holds(field('counts.Order Completed', 'exists'))).toBe(true);
    expect(holds(field('affinities.camping', 'lt', 1))).toBe(true);
    expect(holds(field('counts.turns', 'gte', 3))).toBe(true);
  });

  test('ordering comparisons need numbers on both sides', () => {
    expect(holds(field('traits.plan', 'gt', 1))).toBe(false);
    expect(holds(field('revenue', 'gt', 'lots'))).toBe(false);
    expect(holds(field('revenue', 'gt'))).toBe(false);
    // null and '' are not zero: a half-written rule must not match everyone with revenue.
    expect(holds(field('revenue', 'gt', null))).toBe(false);
    expect(holds(field('revenue', 'gt', ''))).toBe(false);
    expect(holds(field('revenue', 'gt', true))).toBe(false);
  });

  test('in and nin need a list', () => {
    expect(holds(field('traits.plan', 'in', 'pro'))).toBe(false);
    expect(holds(field('traits.plan', 'nin', 'free'))).toBe(false);
  });

  test('inherited object members are not profile fields', () => {
    expect(holds(field('traits.constructor', 'exists'))).toBe(false);
    expect(holds(field('traits.toString', 'missing'))).toBe(true);
    expect(holds(field('counts.valueOf', 'eq', 0))).toBe(true);
  });

  test('derived fields: days since first and last seen, top category', () => {
    const p = profileAt({ firstSeen: iso(T0 - 10 * DAY), lastSeen: iso(T0 - 2 * DAY), affinities: { yoga: 1, camping: 7, running: 3 } });
    expect(holds(field('daysSinceFirstSeen', 'eq', 10), p)).toBe(true);
    expect(holds(field('daysSinceLastSeen', 'gte', 2), p)).toBe(true);
    expect(holds(field('daysSinceLastSeen', 'gt', 2), p)).toBe(false);
    expect(holds(field('topCategory', 'eq', 'camping'), p)).toBe(true);
    expect(holds(field('topCategory', 'missing'), profileAt())).toBe(true);
  });
});

describe('combinators', () => {
  const yes = field('orders', 'eq', 2);
  const no = field('orders', 'eq', 3);
  test('all, any and not', () => {
    expect(holds({ all: [yes, yes] })).toBe(true);
    expect(holds({ all: [yes, no] })).toBe(false);
    expect(holds({ any: [no, yes] })).toBe(true);
    expect(holds({ any: [no, no] })).toBe(false);
    expect(holds({ not: no })).toBe(true);
    expect(holds({ not: { any: [yes, no] } })).toBe(false);
    expect(holds({ all: [{ any: [no, yes] }, { not: no }] })).toBe(true);
  });
});

describe('event-count rules', () => {
  const viewedAt = (...days: number[]) => profileAt({ recent: { 'Product Viewed': days.map((d) => T0 - d * DAY) }, counts: { 'Product Viewed': days.length } });

  test('counts events inside the window, boundary included, future excluded', () => {
    const p = profileAt({ recent: { 'Product Viewed': [T0 - 8 * DAY, T0 - 7 * DAY, T0 - DAY, T0 + DAY] }, counts: { 'Product Viewed': 4 } });
    expect(holds({ event: 'Product Viewed', within: '7d', min: 2 }, p)).toBe(true);
    expect(holds({ event: 'Product Viewed', within: '7d', min: 3 }, p)).toBe(false);
    expect(holds({ event: 'Product Viewed', within: '1d', min: 1, max: 1 }, p)).toBe(true);
  });

  test('min defaults to one', () => {
    expect(holds({ event: 'Product Viewed', within: '7d' }, viewedAt(3))).toBe(true);
    expect(holds({ event: 'Product Viewed', within: '7d' }, viewedAt(30))).toBe(false);
    expect(holds({ event: 'Order Completed' }, viewedAt(1))).toBe(false);
  });

  test('max bounds the count from above', () => {
    expect(holds({ event: 'Product Viewed', within: '30d', min: 1, max: 2 }, viewedAt(1, 2, 3))).toBe(false);
    expect(holds({ event: 'Product Viewed', within: '30d', min: 1, max: 3 }, viewedAt(1, 2, 3))).toBe(true);
  });

  test('max alone means "at most": zero events in the window satisfies max 0', () => {
    expect(holds({ event: 'Order Completed', within: '30d', max: 0 }, viewedAt(1))).toBe(true);
    expect(holds({ event: 'Product Viewed', within: '30d', max: 0 }, viewedAt(1))).toBe(false);
    expect(holds({ event: 'Product Viewed', within: '30d', max: 2 }, viewedAt(40))).toBe(true);
  });

  test('without a window, events older than the recent list still count through the counter', () => {
    const p = profileAt({ recent: { 'Order Completed': [T0 - DAY] }, counts: { 'Order Completed': 5 } });
    expect(holds({ event: 'Order Completed', min: 5 }, p)).toBe(true);
    expect(holds({ event: 'Order Completed', min: 6 }, p)).toBe(false);
    expect(holds({ event: 'Order Completed', within: '30d', min: 2 }, p)).toBe(false);
  });

  test('windows accept every duration unit and plain milliseconds', () => {
    const p = profileAt({ recent: { E: [T0 - 90 * 60_000] }, counts: { E: 1 } });
    expect(holds({ event: 'E', within: '2h' }, p)).toBe(true);
    expect(holds({ event: 'E', within: '1h' }, p)).toBe(false);
    expect(holds({ event: 'E', within: '91m' }, p)).toBe(true);
    expect(holds({ event: 'E', within: 95 * 60_000 }, p)).toBe(true);
    expect(holds({ event: 'E', within: '1.5h' }, p)).toBe(true);
  });
});

describe('durationMs', () => {
  test.each<[string | number, number]>([
    ['250ms', 250],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    [' 1.5 h ', 5_400_000],
    [1234, 1234],
  ])('%j is %d ms', (d, ms) => {
    expect(durationMs(d)).toBe(ms);
  });

  test('rejects what is not a duration', () => {
    expect(() => durationMs('7 days')).toThrow(RangeError);
    expect(() => durationMs('d')).toThrow(RangeError);
  });
});

describe('RuleSchema', () => {
  test('accepts nested rules and rejects unknown shapes', () => {
    expect(RuleSchema.safeParse({ all: [{ not: { field: 'orders', op: 'eq', value: 0 } }, { event: 'E', within: '7d', min: 2 }] }).success).toBe(true);
    expect(RuleSchema.safeParse({ all: [] }).success).toBe(false);
    expect(RuleSchema.safeParse({ field: 'orders', op: 'between', value: 0 }).success).toBe(false);
    expect(RuleSchema.safeParse({ field: 'orders', op: 'eq', extra: 1 }).success).toBe(false);
    expect(RuleSchema.safeParse({ event: 'E', within: '7 days' }).success).toBe(false);
    expect(RuleSchema.safeParse({ event: 'E', within: 0 }).success).toBe(false);
    expect(RuleSchema.safeParse({ event: 'E', min: 1.5 }).success).toBe(false);
  });
});
