import express from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { ConfigError } from '../../../src/core/errors';
import { apiRouter } from '../../../adapters/http/api';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { errorHandler } from '../../../adapters/http/errors';
import { ratePerMinuteFromEnv, TokenBuckets } from '../../../adapters/http/rate-limit';
import { MemoryStore } from '../../../src/store/memory';

const READ = 'read-key-0123456789ab';
const READ_2 = 'read-key-2-0123456789';
const ADMIN = 'admin-key-0123456789a';

function app(ratePerMinute?: number) {
  const attune = createAttune({ store: new MemoryStore() });
  const a = express();
  a.use('/v1', apiRouter(attune, { keys: parseApiKeys(`${READ}:read,${READ_2}:read,${ADMIN}:admin`), ratePerMinute }));
  a.use(errorHandler(attune.logger));
  return a;
}

const track = { userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } };

describe('rate limits per API key (/v1)', () => {
  it("one key's budget is shared by every route and role it calls", async () => {
    const a = app(4);
    const admin = (r: request.Test) => r.set('X-API-Key', ADMIN);
    // Ingest, read and admin routes: the admin key spends from one bucket across all three groups.
    expect((await admin(request(a).post('/v1/track').send(track))).status).toBe(200);
    expect((await admin(request(a).get('/v1/users/u1/segments'))).status).toBe(200);
    expect((await admin(request(a).put('/v1/users/u1/consent').send({ analytics: true }))).status).toBe(200);
    expect((await admin(request(a).get('/v1/users/u1/profile'))).status).toBe(200);
    const limited = await admin(request(a).post('/v1/track').send(track));
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await admin(request(a).get('/v1/users/u1/segments'))).status).toBe(429);
  });

  it("each key has its own budget: one key's traffic never spends another's, even of the same role", async () => {
    const a = app(2);
    for (let i = 0; i < 2; i++) expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ)).status).toBe(200);
    expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ)).status).toBe(429);
    for (let i = 0; i < 2; i++) expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ_2)).status).toBe(200);
    expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ_2)).status).toBe(429);
  });

  describe('ATTUNE_RATE_LIMIT_PER_MINUTE', () => {
    const saved = process.env.ATTUNE_RATE_LIMIT_PER_MINUTE;
    afterEach(() => {
      if (saved === undefined) delete process.env.ATTUNE_RATE_LIMIT_PER_MINUTE;
      else process.env.ATTUNE_RATE_LIMIT_PER_MINUTE = saved;
    });

    it('sets the per-key budget when no option does', async () => {
      process.env.ATTUNE_RATE_LIMIT_PER_MINUTE = '3';
      const a = app();
      for (let i = 0; i < 3; i++) expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ)).status).toBe(200);
      expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ)).status).toBe(429);
    });

    it('defaults to 600 and refuses anything but a positive integer', () => {
      expect(ratePerMinuteFromEnv({})).toBe(600);
      expect(ratePerMinuteFromEnv({ ATTUNE_RATE_LIMIT_PER_MINUTE: '1200' })).toBe(1200);
      for (const bad of ['', '0', '-5', '1.5', 'lots', 'Infinity']) expect(() => ratePerMinuteFromEnv({ ATTUNE_RATE_LIMIT_PER_MINUTE: bad })).toThrow(ConfigError);
    });
  });
});

describe('TokenBuckets (the limiter behind every edge)', () => {
  it('refills continuously, by the clock it is given', () => {
    let now = 0;
    const b = new TokenBuckets({ capacity: 2, clock: () => now });
    expect([b.take('k'), b.take('k')]).toEqual([0, 0]);
    expect(b.take('k')).toBe(30_000);
    now += 30_000;
    expect(b.take('k')).toBe(0);
    expect(b.peek('k')).toBe(30_000);
  });

  it('stays bounded in memory: idle buckets are dropped, and past maxKeys the least recently used goes', () => {
    let now = 0;
    const b = new TokenBuckets({ capacity: 2, maxKeys: 100, clock: () => now });
    for (let i = 0; i < 1000; i++) b.take(`client-${i}`);
    expect(b.size).toBeLessThanOrEqual(100);
    // Once refilled, a bucket is the same as none: passing traffic drains them.
    now += 60_000;
    for (let i = 0; i < 10; i++) b.take('busy');
    expect(b.size).toBeLessThan(100);
    // Eviction only ever hands a key a fresh budget; the busy key keeps its own.
    expect(b.take('busy')).toBeGreaterThan(0);
  });

  it('empties again once its buckets refill, when only peeked (what lets the auth throttle skip its work)', () => {
    let now = 0;
    const b = new TokenBuckets({ capacity: 2, clock: () => now });
    b.take('guesser');
    b.take('other');
    expect(b.peek('guesser')).toBe(0);
    expect(b.size).toBe(2);
    now += 60_000;
    expect(b.peek('guesser')).toBe(0);
    expect(b.peek('somebody')).toBe(0);
    expect(b.size).toBe(0);
  });
});
