import express from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { ConfigError } from '../../../src/core/errors';
import { apiRouter } from '../../../adapters/http/api';
import { apiKeyAuth, callerOf, parseApiKeys, resolveApiKeys } from '../../../adapters/http/api-keys';
import { apiKeyId } from '../../../src/privacy/audit';
import { errorHandler } from '../../../adapters/http/errors';
import { MemoryStore } from '../../../src/store/memory';

const INGEST = 'ingest-key-0123456789';
const READ = 'read-key-0123456789ab';
const ADMIN = 'admin-key-0123456789a';

function app(ratePerMinute?: number) {
  const attune = createAttune({ store: new MemoryStore() });
  const a = express();
  a.use('/v1', apiRouter(attune, { keys: parseApiKeys(`${INGEST}:ingest,${READ}:read,${ADMIN}:admin`), ratePerMinute }));
  a.use(errorHandler(attune.logger));
  return a;
}

const track = { userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } };

describe('REST API access control', () => {
  it('refuses a request without a key (401) or with an unknown key (401)', async () => {
    const a = app();
    const none = await request(a).post('/v1/track').send(track);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await request(a).post('/v1/track').set('Authorization', 'Bearer not-a-real-key-at-all').send(track)).status).toBe(401);
  });

  it('gives each role its own part: ingest cannot read, read cannot ingest, admin can do all', async () => {
    const a = app();
    expect((await request(a).post('/v1/track').set('Authorization', `Bearer ${INGEST}`).send(track)).status).toBe(200);
    expect((await request(a).get('/v1/users/u1/profile').set('Authorization', `Bearer ${INGEST}`)).status).toBe(403);
    expect((await request(a).get('/v1/users/u1/profile').set('X-API-Key', READ)).status).toBe(200);
    expect((await request(a).post('/v1/track').set('X-API-Key', READ).send(track)).status).toBe(403);
    expect((await request(a).put('/v1/users/u1/consent').set('X-API-Key', READ).send({ analytics: false })).status).toBe(403);
    const consent = await request(a).put('/v1/users/u1/consent').set('X-API-Key', ADMIN).send({ analytics: false });
    expect(consent.status).toBe(200);
    expect(consent.body.consent).toEqual({ analytics: false });
    expect((await request(a).get('/v1/users/u1/recommendations').set('X-API-Key', ADMIN)).status).toBe(200);
  });

  it('rejects an unknown consent purpose with 400 naming it', async () => {
    const res = await request(app()).put('/v1/users/u1/consent').set('X-API-Key', ADMIN).send({ personalisation: true });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/personalisation/);
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const a = app(3);
    for (let i = 0; i < 3; i++) expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ)).status).toBe(200);
    const limited = await request(a).get('/v1/users/u1/segments').set('X-API-Key', READ);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key has its own budget.
    expect((await request(a).get('/v1/users/u1/segments').set('X-API-Key', ADMIN)).status).toBe(200);
  });

  it('parses ATTUNE_API_KEYS strictly and generates keys when it is unset', () => {
    expect(() => parseApiKeys('short:admin')).toThrow(ConfigError);
    expect(() => parseApiKeys(`${ADMIN}:root`)).toThrow(ConfigError);
    expect(parseApiKeys(`${ADMIN}:admin`).check(ADMIN)?.role).toBe('admin');
    const resolved = resolveApiKeys({});
    expect(resolved.generated).toBeDefined();
    expect(resolved.keys.check(resolved.generated!.read)?.role).toBe('read');
    expect(resolveApiKeys({ ATTUNE_API_KEYS: `${READ}:read` }).generated).toBeUndefined();
  });
});

describe('the caller of a request', () => {
  test('is the key that passed, by role and key id, for that request only; a refused request has none', async () => {
    const auth = apiKeyAuth({ keys: parseApiKeys(`${READ}:read,${ADMIN}:admin`), ratePerMinute: 1000 });
    const seen: unknown[] = [];
    const a = express();
    a.get('/r', (req, _res, next) => (seen.push(callerOf(req)), next()), auth.requireRole('read'), (req, res) => res.json(callerOf(req) ?? null));
    expect((await request(a).get('/r').set('authorization', `Bearer ${READ}`)).body).toEqual({ role: 'read', keyId: apiKeyId(READ) });
    expect((await request(a).get('/r').set('x-api-key', ADMIN)).body).toEqual({ role: 'admin', keyId: apiKeyId(ADMIN) });
    expect((await request(a).get('/r').set('x-api-key', 'wrong-key-0123456789')).status).toBe(401);
    // Before the check, no request carries a caller, even on a connection that had one.
    expect(seen).toEqual([undefined, undefined, undefined]);
  });
});
