import request from 'supertest';
import { createAttune } from '../../index';
import { createServer } from '../../adapters/http/server';
import type { QualityConfig } from '../../src/quality/config';
import { QUALITY_USER, VIOLATION_EVENT } from '../../src/quality/gate';
import { createMetrics } from '../../src/observe/metrics';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import type { AttuneEvent } from '../../src/core/event';
import Redis from 'ioredis';
import { deleteKeys, onTestRedis, RUN_PREFIX } from '../store/redis-harness';
import { parsePrometheus, valueOf } from '../support/prometheus';

/*
 * The tracking plan's modes end to end: Segment calls posted to /v1/track and /v1/batch,
 * refused with a 400 naming each reason where the plan blocks, stripped where it strips, and
 * normalized where fields are configured; what reached the log is read back from the store.
 */

const plan = (mode: { unplannedEvents?: 'allow' | 'block'; unplannedProperties?: 'allow' | 'strip' | 'block'; invalidEvents?: 'allow' | 'block' }): QualityConfig => ({
  normalize: { properties: { revenue: { type: 'currency', currencyField: 'currency' }, quantity: { type: 'integer' } } },
  trackingPlan: {
    events: {
      'Order Completed': {
        properties: {
          order_id: { type: 'string', required: true },
          revenue: { type: 'number', required: true },
          currency: { type: 'string', allowed: ['EUR', 'USD'] },
          quantity: { type: 'integer' },
        },
      },
    },
    ...mode,
  },
});

function start(quality: QualityConfig, store: Store = new MemoryStore()) {
  const metrics = createMetrics({ defaultMetrics: false });
  const attune = createAttune({ store, idKeys: false, quality, hooks: metrics.hooks });
  const app = createServer(attune, { apiKeys: false, metrics, dashboard: false });
  return { attune, app, store, metrics };
}

async function logged(store: Store): Promise<AttuneEvent[]> {
  return (await store.readEvents({ limit: 10_000 })).events;
}

const order = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ userId: 'u1', event: 'Order Completed', properties: props, ...extra });

function suite(makeStore: () => Store) {
  it('normalizes configured fields before the plan checks their types, and logs the event as normalized', async () => {
    const { app, store, attune } = start(plan({ invalidEvents: 'block' }), makeStore());
    try {
      const res = await request(app).post('/v1/track').send(order({ order_id: 'A-25', revenue: '1.299,00 €', quantity: 'three' }, { messageId: 'm-norm' }));
      expect(res.status).toBe(200);
      const e = (await logged(store)).find((x) => x.messageId === 'm-norm');
      expect(e?.properties).toEqual({ order_id: 'A-25', revenue: 1299, currency: 'EUR', quantity: 3 });
    } finally {
      await attune.close();
    }
  });

  it('blocks with a clear 400 naming each violation, and stores nothing of the event', async () => {
    const { app, store, attune } = start(plan({ invalidEvents: 'block', unplannedEvents: 'block' }), makeStore());
    try {
      const res = await request(app).post('/v1/track').send(order({ revenue: 'lots', currency: 'GBP' }, { messageId: 'm-bad' }));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_argument');
      expect(res.body.message).toMatch(/refused by the tracking plan/);
      expect(res.body.issues).toEqual([
        { path: ['properties', 'order_id'], message: 'required-missing: a required property is missing' },
        { path: ['properties', 'revenue'], message: 'datatype-mismatch: must be number, is string' },
        { path: ['properties', 'currency'], message: 'datatype-mismatch: not one of the allowed values' },
      ]);
      const unplanned = await request(app).post('/v1/track').send({ userId: 'u1', event: 'Order Shipped' });
      expect(unplanned.status).toBe(400);
      expect(unplanned.body.issues).toEqual([{ path: ['event'], message: 'unplanned-event: the tracking plan does not name this event' }]);
      const events = await logged(store);
      expect(events.filter((e) => e.userId === 'u1')).toEqual([]);
      // The violations themselves are logged, under no user, once each, even though the event was refused.
      const violations = events.filter((e) => e.event === VIOLATION_EVENT);
      expect(violations.map((v) => v.properties.violationType)).toEqual(['required-missing', 'datatype-mismatch', 'datatype-mismatch', 'unplanned-event']);
      expect(violations.every((v) => v.userId === QUALITY_USER)).toBe(true);
      expect(violations[0].properties).toMatchObject({ eventMessageId: 'm-bad', eventName: 'Order Completed', violationField: 'order_id', source: 'rest' });
      // A retry of the refused event does not log its violations again.
      await request(app).post('/v1/track').send(order({ revenue: 'lots', currency: 'GBP' }, { messageId: 'm-bad' })).expect(400);
      expect((await logged(store)).filter((e) => e.event === VIOLATION_EVENT)).toHaveLength(4);
    } finally {
      await attune.close();
    }
  });

  it('refuses a batch whole when one event is blocked, naming it by its index', async () => {
    const { app, store, attune } = start(plan({ invalidEvents: 'block' }), makeStore());
    try {
      const res = await request(app)
        .post('/v1/batch')
        .send({ batch: [{ type: 'track', ...order({ order_id: 'o1', revenue: 5 }) }, { type: 'track', ...order({ order_id: 7, revenue: 5 }) }] });
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([{ path: ['batch', 1, 'properties', 'order_id'], message: 'datatype-mismatch: must be string, is number' }]);
      expect((await logged(store)).filter((e) => e.userId === 'u1')).toEqual([]);
    } finally {
      await attune.close();
    }
  });

  it('strips unplanned properties, names them in context.protocols, and accepts the event', async () => {
    const { app, store, attune } = start(plan({ unplannedProperties: 'strip' }), makeStore());
    try {
      const res = await request(app).post('/v1/track').send(order({ order_id: 'SKU-1299', revenue: 5, gift_wrap: true, note: 'x' }, { messageId: 'm-strip' }));
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(1);
      const e = (await logged(store)).find((x) => x.messageId === 'm-strip');
      expect(e?.properties).toEqual({ order_id: 'SKU-1299', revenue: 5 });
      expect(e?.context.protocols).toEqual({ omitted: ['gift_wrap', 'note'] });
    } finally {
      await attune.close();
    }
  });

  it('allows and counts by default: each violation type on /metrics by source and event', async () => {
    const { app, attune } = start(plan({}), makeStore());
    try {
      await request(app).post('/v1/track').send(order({ revenue: 5, extra: 1 })).expect(200);
      await request(app).post('/v1/track').send(order({ order_id: 'o', revenue: '?' })).expect(200);
      await request(app).post('/v1/track').send({ userId: 'u1', event: 'Order Shipped' }).expect(200);
      await request(app).post('/v1/track').set('Authorization', `Basic ${Buffer.from('wk:').toString('base64')}`).send({ userId: 'u1', event: 'Order Shipped' }).expect(200);
      const text = (await request(app).get('/metrics')).text;
      const families = parsePrometheus(text);
      const v = (labels: Record<string, string>) => valueOf(families, 'attune_quality_violations_total', labels);
      expect(v({ source: 'rest', event: 'Order Completed', type: 'required-missing' })).toBe(1);
      expect(v({ source: 'rest', event: 'Order Completed', type: 'additional-properties' })).toBe(1);
      expect(v({ source: 'rest', event: 'Order Completed', type: 'datatype-mismatch' })).toBe(1);
      expect(v({ source: 'rest', event: 'Order Shipped', type: 'unplanned-event' })).toBe(1);
      expect(v({ source: 'segment', event: 'Order Shipped', type: 'unplanned-event' })).toBe(1);
      expect(valueOf(families, 'attune_quality_normalizations_total', { source: 'rest', kind: 'currency', outcome: 'unparseable' })).toBe(1);
      expect(valueOf(families, 'attune_quality_rate', { source: 'rest', kind: 'violation' })).toBe(1);
    } finally {
      await attune.close();
    }
  });
}

describe('tracking plan through POST /v1/track (memory)', () => suite(() => new MemoryStore()));

onTestRedis('tracking plan through POST /v1/track (Redis)', (url) => {
  let n = 0;
  const prefix = `${RUN_PREFIX}quality:`;
  afterAll(async () => {
    const admin = new Redis(url);
    try {
      await deleteKeys(admin, prefix);
    } finally {
      admin.disconnect();
    }
  });
  describe('on Redis', () => suite(() => new RedisStore({ url, keyPrefix: `${prefix}${n++}:` })));
});
