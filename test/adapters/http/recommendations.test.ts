import { createHash } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { listBody } from '../../../adapters/http/list-body';
import { parseRecommendQuery, parseUserId, RecommendQuery, UserParams } from '../../../adapters/http/recommendations';
import { createServer } from '../../../adapters/http/server';
import catalog from '../../../examples/ecommerce/catalog.json';
import { ValidationError } from '../../../src/core/errors';
import { parse } from '../../../src/core/validate';
import { MemoryStore } from '../../../src/store/memory';

const READ = 'read-key-0123456789ab';
const INGEST = 'ingest-key-0123456789ab';

/** What a call gave: its value, or the ValidationError's message and issues. */
function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { error: err.message, issues: err.issues };
  }
}

describe('the recommendations query, read without zod in its common shape', () => {
  const keys = ['k', 'locale', 'channel', 'maxPrice', 'minPrice', 'category', 'tag', 'other'];
  const text = fc.oneof(
    fc.constantFrom('', '0', '1', '10', '100', '101', '010', ' 5', '5 ', '5.0', '-3', '1e1', 'abc', 'yoga,running', 'de-DE'),
    fc.integer({ min: -5, max: 150 }).map(String),
    fc.string({ maxLength: 80 }),
  );
  const value = fc.oneof(text, fc.array(text, { maxLength: 3 }));

  it('gives what the full schema gives, for any query (the same value, or the same 400)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 }), (query) => {
        // Express's query parser makes objects without a prototype.
        const q = Object.assign(Object.create(null) as object, query);
        expect(outcome(() => parseRecommendQuery(q))).toEqual(outcome(() => parse(RecommendQuery, q, 'query')));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the path\'s user id as the schema does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.constant(undefined), fc.integer()), (id) => {
        expect(outcome(() => parseUserId({ id }))).toEqual(outcome(() => parse(UserParams, { id }, 'path').id));
      }),
    );
  });
});

describe('GET /v1/users/:id/recommendations answers with an ETag', () => {
  function server() {
    const attune = createAttune({ store: new MemoryStore(), catalog });
    return createServer(attune, { apiKeys: parseApiKeys(`${READ}:read,${INGEST}:ingest`), dashboard: false });
  }

  it('the same tag Express would give the body, and 304 on If-None-Match', async () => {
    const app = server();
    const first = await request(app).get('/v1/users/u1/recommendations?k=5').set('Authorization', `Bearer ${READ}`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const bytes = Buffer.from(first.text);
    expect(first.headers.etag).toBe(`W/"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"`);
    expect(first.body.userId).toBe('u1');
    expect(first.body.recommendations).toHaveLength(5);
    const again = await request(app).get('/v1/users/u1/recommendations?k=5').set('Authorization', `Bearer ${READ}`);
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    const cached = await request(app).get('/v1/users/u1/recommendations?k=5').set('Authorization', `Bearer ${READ}`).set('If-None-Match', first.headers.etag);
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    // Still behind the key check, and the query still checked.
    expect((await request(app).get('/v1/users/u1/recommendations').set('If-None-Match', first.headers.etag)).status).toBe(401);
    const bad = await request(app).get('/v1/users/u1/recommendations?k=0').set('Authorization', `Bearer ${READ}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_argument');
  });

  it('a new tag once the list changes (the user\'s history moved it)', async () => {
    const app = server();
    const get = () => request(app).get('/v1/users/u2/recommendations?k=10').set('Authorization', `Bearer ${READ}`);
    const before = await get();
    const days = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
    for (const [i, item] of catalog.filter((c) => c.category === 'climbing').slice(0, 4).entries()) {
      const event = { userId: 'u2', event: 'Product Viewed', timestamp: days(2 + i), properties: { product_id: item.id, category: item.category, price: item.price } };
      const posted = await request(app).post('/v1/track').set('Authorization', `Bearer ${INGEST}`).send(event);
      expect(posted.status).toBe(200);
    }
    const after = await get();
    expect(after.text).not.toBe(before.text);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});

describe('listBody', () => {
  it('makes each id its own body, even for one remembered list', () => {
    const list = [{ itemId: 'a', score: 1, reason: 'popular' }] as unknown as Parameters<typeof listBody>[1];
    const a = listBody('u1', list);
    const b = listBody('u2', list);
    expect(JSON.parse(a.body.toString()).userId).toBe('u1');
    expect(JSON.parse(b.body.toString()).userId).toBe('u2');
    expect(a.etag).not.toBe(b.etag);
  });
});
