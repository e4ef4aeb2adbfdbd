import request from 'supertest';
import { createAttune } from '../../../index';
import { createShopApp } from '../../../examples/ecommerce/app';
import catalog from '../../../examples/ecommerce/catalog.json';
import type { Attune } from '../../../src/engine/attune';
import { MemoryStore } from '../../../src/store/memory';
import { RedisStore } from '../../../src/store/redis';
import type { Store } from '../../../src/store/store';
import { deleteKeys, RUN_PREFIX, redisUrlFor } from '../../store/redis-harness';

/*
 * The REST API refuses, with a 400 and before anything is kept, an event that could not be
 * written or read back later: the event is never half-accepted (its messageId claimed, its
 * write failed), so the sender's corrected retry is not taken for a duplicate.
 */

const redisUrl = redisUrlFor('REST ingestion bounds on Redis');
const prefix = `${RUN_PREFIX}ingest-bounds:`;

const cases: [string, () => Store][] = [['memory', () => new MemoryStore()]];
if (redisUrl) cases.push(['redis', () => new RedisStore({ url: redisUrl, keyPrefix: prefix })]);

describe.each(cases)('REST ingestion bounds (%s store)', (_name, open) => {
  let attune: Attune;
  let app: ReturnType<typeof createShopApp>['app'];

  beforeAll(() => {
    attune = createAttune({ store: open(), catalog });
    app = createShopApp(attune, { apiKeys: false }).app;
  });

  afterAll(async () => {
    await attune.close();
    if (redisUrl) {
      const Redis = (await import('ioredis')).default;
      const admin = new Redis(redisUrl);
      await deleteKeys(admin, prefix);
      admin.disconnect();
    }
  });

  it('a product id longer than a counter key gets a 400, and the corrected retry is accepted, not a duplicate', async () => {
    const event = { userId: 'bounds-1', messageId: 'bounds-m1', event: 'Product Viewed', properties: { product_id: 'p'.repeat(600), category: 'running' } };
    const bad = await request(app).post('/v1/track').send(event);
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: ['properties', 'product_id'], message: 'a product id may have at most 512 characters' }]);
    const retry = await request(app).post('/v1/track').send({ ...event, properties: { product_id: 'run-0001', category: 'running' } });
    expect(retry.body).toEqual({ success: true, accepted: 1, duplicates: 0 });
  });

  it('properties nested 100,000 levels deep get a 400, not a 500, and leave nothing behind', async () => {
    const body = `{"userId":"bounds-2","messageId":"bounds-m2","event":"Product Viewed","properties":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const res = await request(app).post('/v1/track').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/properties\.x\.0\.0.*nested deeper than 32 levels/);
    expect(await attune.profile('bounds-2')).toBeNull();
    const retry = await request(app).post('/v1/track').send({ userId: 'bounds-2', messageId: 'bounds-m2', event: 'Product Viewed', properties: { product_id: 'run-0001' } });
    expect(retry.body).toEqual({ success: true, accepted: 1, duplicates: 0 });
  });

  it('a batch with one unwritable event is refused whole, and keeps nothing', async () => {
    const ok = { type: 'track', userId: 'bounds-3', messageId: 'bounds-m3', event: 'Product Viewed', properties: { product_id: 'run-0001' } };
    const body = JSON.stringify({ batch: [ok, { ...ok, messageId: 'bounds-m4', properties: 'DEEP' }] }).replace('"DEEP"', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);
    const res = await request(app).post('/v1/batch').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: unknown[] }) => i.path.slice(0, 3))).toEqual([['batch', 1, 'properties']]);
    expect(await attune.profile('bounds-3')).toBeNull();
  });

  it("ids of up to 512 characters, the store's own limit, are accepted and written", async () => {
    const id = 'i'.repeat(512);
    const res = await request(app).post('/v1/track').send({ userId: id, messageId: id, event: 'Product Viewed', properties: { product_id: 'p'.repeat(512) } });
    expect(res.body).toEqual({ success: true, accepted: 1, duplicates: 0 });
    expect((await attune.profile(id))?.counts['Product Viewed']).toBe(1);
  });
});
