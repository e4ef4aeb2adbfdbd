import { MetricSchema, type Metric } from '../../src/experiments/definition';
import { metricTest, userMetricValue, windowHoursOf, type MetricEvent } from '../../src/experiments/metrics';

const H = 3_600_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const metric = (m: unknown): Metric => MetricSchema.parse(m);
const ev = (event: string, hours: number, properties: Record<string, unknown> = {}): MetricEvent => ({ event, properties, at: T0 + hours * H });

describe('metricTest: the test each metric kind takes', () => {
  it.each([
    [{ kind: 'conversion' }, 'binomial'],
    [{ kind: 'revenue' }, 'mean'],
    [{ kind: 'ctr' }, 'ratio'],
    [{ kind: 'turns-per-session' }, 'ratio'],
    [{ kind: 'session-duration' }, 'ratio'],
    [{ kind: 'satisfaction' }, 'ratio'],
    [{ kind: 'custom', id: 'c', event: 'x', aggregation: 'any' }, 'binomial'],
    [{ kind: 'custom', id: 'c', event: 'x', aggregation: 'count' }, 'mean'],
    [{ kind: 'custom', id: 'c', event: 'x', property: 'p', aggregation: 'sum' }, 'mean'],
    [{ kind: 'custom', id: 'c', event: 'x', property: 'p', aggregation: 'mean' }, 'ratio'],
  ])('%j → %s', (m, test) => expect(metricTest(metric(m))).toBe(test));

  it('takes the metric’s own window, else the experiment’s', () => {
    expect(windowHoursOf(metric({ kind: 'conversion', windowHours: 24 }), 72)).toBe(24);
    expect(windowHoursOf(metric({ kind: 'ctr' }), 72)).toBe(72);
  });
});

describe('conversion', () => {
  const conversion = metric({ kind: 'conversion' });

  it('counts an order within the window after exposure, and one in the window before as the covariate', () => {
    expect(userMetricValue(conversion, [ev('Order Completed', 71.9)], T0, 72)).toEqual({ value: 1, pre: 0 });
    expect(userMetricValue(conversion, [ev('Order Completed', -10)], T0, 72)).toEqual({ value: 0, pre: 1 });
  });

  it('does not count an order after the window closes, nor another event', () => {
    expect(userMetricValue(conversion, [ev('Order Completed', 72), ev('Product Viewed', 1)], T0, 72)).toEqual({ value: 0, pre: 0 });
    expect(userMetricValue(metric({ kind: 'conversion', event: 'Checkout Started' }), [ev('Checkout Started', 2)], T0, 72)).toEqual({ value: 1, pre: 0 });
  });

  it('the window is the metric’s own when it sets one', () => {
    const day = metric({ kind: 'conversion', windowHours: 24 });
    expect(userMetricValue(day, [ev('Order Completed', 30)], T0, windowHoursOf(day, 72))).toEqual({ value: 0, pre: 0 });
  });
});

describe('revenue', () => {
  it('sums `revenue`, falling back to `total`, numeric strings included, inside the window only', () => {
    const events = [ev('Order Completed', 1, { revenue: 20 }), ev('Order Completed', 2, { total: '5.5' }), ev('Order Completed', 100, { revenue: 1000 }), ev('Order Completed', -1, { revenue: 7 })];
    expect(userMetricValue(metric({ kind: 'revenue' }), events, T0, 72)).toEqual({ value: 25.5, pre: 7 });
  });

  it('reads the configured property instead', () => {
    const events = [ev('Order Completed', 1, { revenue: 20, margin: 4 }), ev('Order Completed', 2, { margin: 'n/a' })];
    expect(userMetricValue(metric({ kind: 'revenue', property: 'margin' }), events, T0, 72)).toEqual({ value: 4, pre: 0 });
  });
});

describe('ratio metrics', () => {
  it('CTR: clicks over recommended items shown', () => {
    const events = [
      ev('Recommendation Shown', 0.1, { items: ['a', 'b', 'c'] }),
      ev('Recommendation Shown', 0.2, { items: ['d', 'e'] }),
      ev('Product Clicked', 0.3, { product_id: 'a' }),
      ev('Product Clicked', 80, { product_id: 'd' }),
    ];
    expect(userMetricValue(metric({ kind: 'ctr' }), events, T0, 72)).toEqual({ numerator: 1, denominator: 5 });
  });

  it('turns per session and session duration from the turn log', () => {
    const events = [
      ev('Message Received', 0, { sessionId: 's1' }),
      ev('Message Sent', 0.01, { sessionId: 's1' }),
      ev('Message Received', 0.1, { sessionId: 's1' }),
      ev('Message Sent', 0.11, { sessionId: 's1' }),
      ev('Message Received', 5, { sessionId: 's2' }),
      ev('Message Sent', 5.05, { sessionId: 's2' }),
    ];
    expect(userMetricValue(metric({ kind: 'turns-per-session' }), events, T0, 72)).toEqual({ numerator: 3, denominator: 2 });
    const d = userMetricValue(metric({ kind: 'session-duration' }), events, T0, 72);
    expect(d).toEqual({ numerator: expect.closeTo(0.11 * 3600 + 0.05 * 3600, 6), denominator: 2 });
  });

  it('satisfaction: a score when given, else 1 for a positive reaction and 0 for a negative one; removed reactions do not count', () => {
    const events = [
      ev('Feedback Given', 1, { positive: true }),
      ev('Feedback Given', 2, { positive: false }),
      ev('Feedback Given', 3, { score: 0.5 }),
      ev('Feedback Given', 4, { positive: true, added: false }),
    ];
    expect(userMetricValue(metric({ kind: 'satisfaction' }), events, T0, 72)).toEqual({ numerator: 1.5, denominator: 3 });
  });
});

describe('custom metrics', () => {
  const events = [ev('Coupon Used', 1, { amount: 3 }), ev('Coupon Used', 2, { amount: '4' }), ev('Coupon Used', 3, {}), ev('Coupon Used', -3, { amount: 10 }), ev('Other', 1, { amount: 99 })];
  const custom = (aggregation: string, property?: string) => metric({ kind: 'custom', id: 'coupons', event: 'Coupon Used', property, aggregation });

  it('any, count and sum are per-user values with their pre-exposure covariate', () => {
    expect(userMetricValue(custom('any'), events, T0, 72)).toEqual({ value: 1, pre: 1 });
    expect(userMetricValue(custom('count'), events, T0, 72)).toEqual({ value: 3, pre: 1 });
    expect(userMetricValue(custom('sum', 'amount'), events, T0, 72)).toEqual({ value: 7, pre: 10 });
  });

  it('mean is a ratio over the events that carry the property', () => {
    expect(userMetricValue(custom('mean', 'amount'), events, T0, 72)).toEqual({ numerator: 7, denominator: 2 });
  });
});
