import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { ReviewEntryAnswerSchema, ReviewListAnswerSchema } from '../../../adapters/http/review';
import { ErrorBodySchema } from '../../../adapters/http/schemas';
import { createServer } from '../../../adapters/http/server';
import { reviewEntryId } from '../../../src/fairness/review';
import { apiKeyId } from '../../../src/privacy/audit';
import { MemoryStore } from '../../../src/store/memory';
import { smallCatalog } from '../../support/catalog';
import { documentedRoutes, mountedRoutes, validateOpenApi } from '../../support/openapi';

/*
 * /v1/review through real HTTP: admin keys only; the list of pending entries with its filter
 * and page size; decisions with a zod body, audited with the deciding key's id; 400s naming
 * what is wrong, 404 for an unknown entry, 409 for one decided already; documented in the
 * OpenAPI document only when review is on.
 */
const READ = 'read-key-0123456789ab';
const TURNS = 'turns-key-0123456789a';
const ADMIN = 'admin-key-0123456789a';
const KEYS = parseApiKeys(`${READ}:read,${TURNS}:turns,${ADMIN}:admin`);
const as = (key: string) => ({ Authorization: `Bearer ${key}` });

describe('/v1/review', () => {
  const store = new MemoryStore();
  const attune = createAttune({ store, catalog: smallCatalog(), idKeys: false, review: { policy: { categories: ['yoga'], items: ['camping-2'] } } });
  const app = createServer(attune, { apiKeys: KEYS });
  const yoga = reviewEntryId('yoga-1');
  afterAll(() => attune.close());

  beforeAll(async () => {
    // Three items held back, at three instants: the queue lists the oldest first.
    const queue = attune.review!.queue;
    await queue.request([{ itemId: 'yoga-1', reason: 'category:yoga' }], '2026-02-01T10:00:00.000Z');
    await queue.request([{ itemId: 'camping-2', reason: 'item', count: 3 }], '2026-02-01T10:00:01.000Z');
    await queue.request([{ itemId: 'yoga-2', reason: 'category:yoga' }], '2026-02-01T10:00:02.000Z');
  });

  it('needs an admin key: 401 without one, 403 for read and turns keys', async () => {
    for (const call of [request(app).get('/v1/review'), request(app).post(`/v1/review/${yoga}`).send({ decision: 'approve' })]) {
      const res = await call;
      expect([res.status, res.body.error, res.headers['www-authenticate']]).toEqual([401, 'unauthenticated', 'Bearer realm="attune"']);
    }
    for (const key of [READ, TURNS]) {
      const list = await request(app).get('/v1/review').set(as(key));
      expect([list.status, list.body.error]).toEqual([403, 'forbidden']);
      const decide = await request(app).post(`/v1/review/${yoga}`).set(as(key)).send({ decision: 'approve' });
      expect([decide.status, decide.body.error]).toEqual([403, 'forbidden']);
    }
    // Nothing was decided by the refused calls.
    expect((await attune.review!.get(yoga)).status).toBe('pending');
  });

  it('lists pending entries, oldest first, with the counts; ?limit pages and ?status filters', async () => {
    const res = await request(app).get('/v1/review').set(as(ADMIN));
    expect(res.status).toBe(200);
    const body = ReviewListAnswerSchema.parse(res.body);
    expect(body.entries.map((e) => [e.itemId, e.reason, e.requestCount])).toEqual([
      ['yoga-1', 'category:yoga', 1],
      ['camping-2', 'item', 3],
      ['yoga-2', 'category:yoga', 1],
    ]);
    expect(body.counts).toEqual({ pending: 3, approved: 0, rejected: 0 });
    const page = await request(app).get('/v1/review?limit=2').set(as(ADMIN));
    expect(page.body.entries.map((e: { itemId: string }) => e.itemId)).toEqual(['yoga-1', 'camping-2']);
    expect((await request(app).get('/v1/review?status=approved').set(as(ADMIN))).body.entries).toEqual([]);
  });

  it('refuses a malformed query, id or body with a 400 naming each problem', async () => {
    const badQuery = await request(app).get('/v1/review?status=maybe&limit=0').set(as(ADMIN));
    expect(badQuery.status).toBe(400);
    ErrorBodySchema.parse(badQuery.body);
    expect(badQuery.body.issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['limit', 'status']);

    const badId = await request(app).post('/v1/review/not-an-id').set(as(ADMIN)).send({ decision: 'approve' });
    expect([badId.status, badId.body.issues?.[0]?.path]).toEqual([400, ['id']]);

    const cases: [unknown, string[]][] = [
      [{}, ['decision']],
      [{ decision: 'maybe' }, ['decision']],
      [{ decision: 'approve', note: '' }, ['note']],
      [{ decision: 'approve', note: 'x'.repeat(2001) }, ['note']],
      [{ decision: 'approve', by: 'someone else' }, ['']],
    ];
    for (const [body, paths] of cases) {
      const res = await request(app).post(`/v1/review/${yoga}`).set(as(ADMIN)).send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_argument');
      expect(res.body.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(paths);
    }
    const notJson = await request(app).post(`/v1/review/${yoga}`).set(as(ADMIN)).set('Content-Type', 'application/json').send('[1]');
    expect(notJson.status).toBe(400);
    expect((await attune.review!.get(yoga)).status).toBe('pending');
  });

  it('records a decision (200), audited with the key’s id; a second one is a 409, an unknown id a 404', async () => {
    const res = await request(app).post(`/v1/review/${yoga}`).set(as(ADMIN)).send({ decision: 'approve', note: 'a yoga mat is fine' });
    expect(res.status).toBe(200);
    const { entry } = ReviewEntryAnswerSchema.parse(res.body);
    expect(entry).toMatchObject({ id: yoga, itemId: 'yoga-1', status: 'approved', decidedBy: apiKeyId(ADMIN), note: 'a yoga mat is fine' });
    expect(entry.decidedBy).toMatch(/^key_/);
    expect(JSON.stringify(res.body)).not.toContain(ADMIN);
    expect((await request(app).get(`/v1/review/${yoga}`).set(as(ADMIN))).body.entry).toEqual(entry);

    const again = await request(app).post(`/v1/review/${yoga}`).set(as(ADMIN)).send({ decision: 'reject' });
    expect([again.status, again.body.error, again.body.message]).toEqual([409, 'conflict', `review entry ${yoga} is approved already`]);
    expect((await attune.review!.get(yoga)).status).toBe('approved');

    const unknown = reviewEntryId('never-held');
    for (const call of [request(app).post(`/v1/review/${unknown}`).set(as(ADMIN)).send({ decision: 'reject' }), request(app).get(`/v1/review/${unknown}`).set(as(ADMIN))]) {
      const res404 = await call;
      expect([res404.status, res404.body.error]).toEqual([404, 'not_found']);
    }

    const rejected = await request(app).post(`/v1/review/${reviewEntryId('camping-2')}`).set(as(ADMIN)).send({ decision: 'reject' });
    expect(rejected.body.entry).toMatchObject({ status: 'rejected', decidedBy: apiKeyId(ADMIN) });
    expect(rejected.body.entry.note).toBeUndefined();
    const list = await request(app).get('/v1/review?status=all').set(as(ADMIN));
    expect(list.body.counts).toEqual({ pending: 1, approved: 1, rejected: 1 });

    const audits = (await store.readAudit()).records.filter((a) => a.action === 'review.decide');
    expect(audits.map((a) => [a.actor, a.outcome])).toEqual([
      [apiKeyId(ADMIN), 'success'],
      [apiKeyId(ADMIN), 'failure'],
      [apiKeyId(ADMIN), 'failure'],
      [apiKeyId(ADMIN), 'success'],
    ]);
    // The note may hold anything: it stays in the queue, never in the audit log.
    expect(JSON.stringify(audits)).not.toContain('yoga mat');
    // The decision is served at once: the approved item may be shown, the rejected never.
    expect(attune.review!.holds('yoga-1')).toBe(false);
    expect(attune.review!.holds('camping-2')).toBe(true);
  });

  it('is in the OpenAPI document as mounted, and absent from a server without review', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    expect(validateOpenApi(doc)).toMatchObject({ valid: true });
    expect(documentedRoutes(doc)).toEqual(mountedRoutes(app));
    expect(documentedRoutes(doc)).toEqual(expect.arrayContaining(['GET /v1/review', 'GET /v1/review/{id}', 'POST /v1/review/{id}']));
    expect(JSON.stringify(doc.paths['/v1/review/{id}'].post.requestBody)).toContain('"approve"');
    const plain = createAttune({ store: new MemoryStore(), catalog: smallCatalog() });
    const bare = createServer(plain, { apiKeys: KEYS });
    expect(Object.keys((await request(bare).get('/openapi.json')).body.paths)).not.toContain('/v1/review');
    expect((await request(bare).get('/v1/review').set(as(ADMIN))).status).toBe(404);
    await plain.close();
  });
});
