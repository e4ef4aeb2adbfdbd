import { TrackingPlanSchema } from '../../src/quality/config';
import { checkEvent, enforcement, VIOLATION_TYPES, type ViolationType } from '../../src/quality/tracking-plan';
import { mulberry32 } from '../../src/core/random';

const plan = TrackingPlanSchema.parse({
  events: {
    'Order Completed': {
      properties: {
        order_id: { type: 'string', required: true },
        revenue: { type: 'number', required: true },
        quantity: { type: 'integer' },
        currency: { type: 'string', allowed: ['EUR', 'USD'] },
        coupon: { type: ['string', 'null'] },
      },
    },
    'Product Viewed': { properties: { product_id: { type: 'string', required: true } }, additionalProperties: true },
  },
});

const types = (name: string, props: Record<string, unknown>) => checkEvent(name, props, plan).map((v) => `${v.type}:${v.field ?? ''}`);

describe('checkEvent', () => {
  it('finds nothing wrong with a planned event as planned', () => {
    expect(checkEvent('Order Completed', { order_id: 'A-25', revenue: 12.5, quantity: 2, currency: 'EUR', coupon: null }, plan)).toEqual([]);
  });

  it('names each of the four types where it occurs', () => {
    expect(types('Order Refunded', { order_id: 'A-25' })).toEqual(['unplanned-event:']);
    expect(types('Order Completed', { revenue: 1 })).toEqual(['required-missing:order_id']);
    expect(types('Order Completed', { order_id: 25, revenue: '12', quantity: 1.5, currency: 'GBP' })).toEqual(['datatype-mismatch:order_id', 'datatype-mismatch:revenue', 'datatype-mismatch:quantity', 'datatype-mismatch:currency']);
    expect(types('Order Completed', { order_id: 'A-25', revenue: 1, gift_wrap: true })).toEqual(['additional-properties:gift_wrap']);
    // An event that allows additional properties has none.
    expect(types('Product Viewed', { product_id: 'p1', colour: 'red' })).toEqual([]);
  });

  it('does not take inherited names for planned events or properties', () => {
    expect(types('constructor', {})).toEqual(['unplanned-event:']);
    expect(types('Order Completed', { order_id: 'x', revenue: 1, toString: 'x' })).toEqual(['additional-properties:toString']);
  });

  it('counts planted violations of each type exactly, over a seeded stream', () => {
    const rand = mulberry32(17);
    const planted: Record<ViolationType, number> = { 'unplanned-event': 0, 'required-missing': 0, 'datatype-mismatch': 0, 'additional-properties': 0 };
    const found: Record<ViolationType, number> = { 'unplanned-event': 0, 'required-missing': 0, 'datatype-mismatch': 0, 'additional-properties': 0 };
    for (let i = 0; i < 2000; i++) {
      const r = rand();
      let name = 'Order Completed';
      const props: Record<string, unknown> = { order_id: `o${i}`, revenue: 10 };
      if (r < 0.1) {
        name = 'Order Shipped';
        planted['unplanned-event']++;
      } else if (r < 0.25) {
        delete props.order_id;
        planted['required-missing']++;
      } else if (r < 0.45) {
        props.revenue = '10';
        planted['datatype-mismatch']++;
      } else if (r < 0.55) {
        props.extra = 1;
        planted['additional-properties']++;
      }
      for (const v of checkEvent(name, props, plan)) found[v.type]++;
    }
    expect(found).toEqual(planted);
    for (const t of VIOLATION_TYPES) expect(planted[t]).toBeGreaterThan(50);
  });
});

describe('enforcement', () => {
  const v = (type: ViolationType, field?: string) => ({ type, field, description: '' });
  it('blocks or strips as each setting says, and allows by default', () => {
    const all = [v('unplanned-event'), v('required-missing', 'a'), v('additional-properties', 'x')];
    expect(enforcement(all, TrackingPlanSchema.parse({ events: {} }))).toEqual({ blocked: false, strip: [] });
    expect(enforcement([v('unplanned-event')], TrackingPlanSchema.parse({ events: {}, unplannedEvents: 'block' })).blocked).toBe(true);
    expect(enforcement([v('datatype-mismatch', 'a')], TrackingPlanSchema.parse({ events: {}, invalidEvents: 'block' })).blocked).toBe(true);
    expect(enforcement([v('additional-properties', 'x'), v('additional-properties', 'y')], TrackingPlanSchema.parse({ events: {}, unplannedProperties: 'strip' }))).toEqual({ blocked: false, strip: ['x', 'y'] });
    expect(enforcement([v('additional-properties', 'x')], TrackingPlanSchema.parse({ events: {}, unplannedProperties: 'block' })).blocked).toBe(true);
    // Stripping never blocks an event whose other violations are allowed.
    expect(enforcement(all, TrackingPlanSchema.parse({ events: {}, unplannedProperties: 'strip' }))).toEqual({ blocked: false, strip: ['x'] });
  });
});
