import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer } from '../../../adapters/http/server';
import { MemoryStore } from '../../../src/store/memory';

/*
 * POST /v1/rank and POST /v1/events/:eventId/reward through real HTTP: a key with the turns
 * role is required, bad input answers 400 naming where, and the decision's reward joins.
 */

const TURNS = 'turns-key-0123456789a';
const READ = 'read-key-0123456789ab';
const KEYS = parseApiKeys(`${TURNS}:turns,${READ}:read`);
const as = (key: string) => `Bearer ${key}`;
const body = { actions: [{ id: 'short', features: { length: 0.2 } }, { id: 'detailed', features: { length: 1 } }], context: { mobile: 1 } };

describe('/v1/rank and /v1/events/:eventId/reward', () => {
  const attune = createAttune({ store: new MemoryStore(), rank: { seed: 3 } });
  const app = createServer(attune, { apiKeys: KEYS });
  afterAll(() => attune.close());

  it('needs a key with the turns role', async () => {
    expect((await request(app).post('/v1/rank').send(body)).status).toBe(401);
    expect((await request(app).post('/v1/events/e/reward').send({ value: 1 })).status).toBe(401);
    expect((await request(app).post('/v1/rank').set('Authorization', as(READ)).send(body)).status).toBe(403);
  });

  it('ranks, answers the propensities, and takes one reward for the decision', async () => {
    const res = await request(app).post('/v1/rank').set('Authorization', as(TURNS)).send({ ...body, eventId: 'evt-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eventId: 'evt-1', chosen: res.body.ranking[0].id, propensity: res.body.ranking[0].probability });
    expect(res.body.ranking.reduce((s: number, a: { probability: number }) => s + a.probability, 0)).toBeCloseTo(1, 12);
    const reward = await request(app).post('/v1/events/evt-1/reward').set('Authorization', as(TURNS)).send({ value: 1 });
    expect([reward.status, reward.body]).toEqual([200, { eventId: 'evt-1', value: 1 }]);
    const again = await request(app).post('/v1/events/evt-1/reward').set('Authorization', as(TURNS)).send({ value: 1 });
    expect([again.status, again.body.error]).toEqual([409, 'conflict']);
    const unknown = await request(app).post('/v1/events/nope/reward').set('Authorization', as(TURNS)).send({ value: 1 });
    expect(unknown.status).toBe(404);
  });

  it('answers 400 saying where the input is wrong', async () => {
    const cases: [unknown, RegExp][] = [
      [{ actions: [] }, /actions/],
      [{ actions: [{ id: 'a', features: { x: 'high' } }] }, /actions\.0\.features\.x/],
      [{ ...body, context: { mobile: null } }, /context\.mobile/],
      [{ ...body, surprise: true }, /surprise/],
      ['not an object', /body/],
    ];
    for (const [input, where] of cases) {
      const res = await request(app).post('/v1/rank').set('Authorization', as(TURNS)).send(input as object);
      expect([res.status, res.body.error]).toEqual([400, 'invalid_argument']);
      expect(res.body.message).toMatch(where);
    }
    const badValue = await request(app).post('/v1/events/evt-1/reward').set('Authorization', as(TURNS)).send({ value: 'yes' });
    expect([badValue.status, badValue.body.message]).toEqual([400, expect.stringMatching(/value/)]);
  });
});
