import type { Express } from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer } from '../../../adapters/http/server';
import type { ExperimentResults } from '../../../src/experiments/results';
import { MemoryStore } from '../../../src/store/memory';
import { smallCatalog } from '../../support/catalog';
import { shopExperiment, syntheticLog } from '../../experiments/event-log';

/*
 * GET /v1/experiments/:id/results through real HTTP: events ingested with the Segment batch
 * API, the results computed from the event log, behind the read role.
 */

const INGEST = 'ingest-key-0123456789';
const READ = 'read-key-0123456789ab';
const ADMIN = 'admin-key-0123456789a';
const KEYS = parseApiKeys(`${INGEST}:ingest,${READ}:read,${ADMIN}:admin`);

describe('GET /v1/experiments/:id/results', () => {
  const experiment = shopExperiment();
  const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog() });
  const app: Express = createServer(attune, { apiKeys: KEYS, ratePerMinute: 10_000, experiments: async (id) => (id === experiment.id ? experiment : undefined) });
  const get = (path: string, key: string | null = READ) => {
    const r = request(app).get(path);
    return key ? r.set('Authorization', `Bearer ${key}`) : r;
  };

  beforeAll(async () => {
    const events = syntheticLog({ seed: 11, users: 800, arms: { popular: { convert: 0.1, click: 0.05 }, personalized: { convert: 0.22, click: 0.12 } } });
    for (let i = 0; i < events.length; i += 1000) {
      const batch = events.slice(i, i + 1000).map(({ type, userId, event, properties, timestamp, messageId }) => ({ type, userId, event, properties, timestamp, messageId }));
      const r = await request(app).post('/v1/batch').set('Authorization', `Bearer ${INGEST}`).send({ batch });
      expect(r.status).toBe(200);
    }
  });
  afterAll(() => attune.close());

  it('answers the results of the ingested log: users per variant, SRM, each metric with its interval', async () => {
    const r = await get('/v1/experiments/recs-policy/results');
    expect(r.status).toBe(200);
    const body = r.body as ExperimentResults;
    expect(body.experimentId).toBe('recs-policy');
    expect(body.variants.reduce((s, v) => s + v.users, 0)).toBe(800);
    expect(body.srm.ok).toBe(true);
    const conversion = body.metrics.find((m) => m.id === 'conversion');
    const c = conversion?.analysis?.comparisons[0];
    expect(c?.variant).toBe('personalized');
    expect(c?.absCi[0]).toBeGreaterThan(0);
    expect(body.summary[0]).toMatch(/^conversion \(primary\): personalized vs popular: \+/);
  });

  it('takes alpha from the query', async () => {
    const r = await get('/v1/experiments/recs-policy/results?alpha=0.01');
    expect(r.status).toBe(200);
    expect(r.body.alpha).toBe(0.01);
    expect(r.body.summary[0]).toMatch(/99% CI/);
  });

  it('an admin key may read too; an ingest key may not; no key is a 401', async () => {
    expect((await get('/v1/experiments/recs-policy/results', ADMIN)).status).toBe(200);
    expect((await get('/v1/experiments/recs-policy/results', INGEST)).status).toBe(403);
    expect((await get('/v1/experiments/recs-policy/results', null)).status).toBe(401);
  });

  it('an unknown experiment is a 404, a malformed id or alpha a 400 saying where', async () => {
    const unknown = await get('/v1/experiments/nope/results');
    expect([unknown.status, unknown.body.error, unknown.body.message]).toEqual([404, 'not_found', 'experiment nope not found']);
    const bad = await get(`/v1/experiments/${'x'.repeat(65)}/results`);
    expect([bad.status, bad.body.issues?.[0]?.path]).toEqual([400, ['id']]);
    const alpha = await get('/v1/experiments/recs-policy/results?alpha=2');
    expect([alpha.status, alpha.body.issues?.[0]?.path]).toEqual([400, ['alpha']]);
  });

  it('is not served without a lookup', async () => {
    const plain = createServer(attune, { apiKeys: KEYS });
    expect((await request(plain).get('/v1/experiments/recs-policy/results').set('Authorization', `Bearer ${READ}`)).status).toBe(404);
  });
});
