import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer } from '../../../adapters/http/server';
import { MemoryStore } from '../../../src/store/memory';
import { smallCatalog } from '../../support/catalog';

/*
 * /v1/experiments through real HTTP: definitions posted by an admin key, read with a read key,
 * bad ones refused with 400s that name the field, unknown ids 404, config ids 409; and the
 * variant in the answer of POST /v1/turns.
 */

const TURNS = 'turns-key-0123456789a';
const READ = 'read-key-0123456789ab';
const ADMIN = 'admin-key-0123456789a';
const KEYS = parseApiKeys(`${TURNS}:turns,${READ}:read,${ADMIN}:admin`);
const metrics = { primary: [{ kind: 'conversion' as const }] };
const definition = { id: 'greeting', variants: [{ id: 'control', weight: 0 }, { id: 'warm', weight: 1, overrides: { tone: 'formal', message: 'Welcome back!' } }], metrics };

describe('/v1/experiments', () => {
  const store = new MemoryStore();
  const attune = createAttune({ store, catalog: smallCatalog(), experiments: [{ id: 'from-config', variants: [{ id: 'a' }, { id: 'b' }], metrics }] });
  const app = createServer(attune, { apiKeys: KEYS });
  afterAll(() => attune.close());
  const as = (key: string) => `Bearer ${key}`;

  it('needs a key: 401 without one; posting needs the admin role', async () => {
    expect((await request(app).get('/v1/experiments')).status).toBe(401);
    expect((await request(app).post('/v1/experiments').send(definition)).status).toBe(401);
    const res = await request(app).post('/v1/experiments').set('Authorization', as(READ)).send(definition);
    expect([res.status, res.body.error]).toEqual([403, 'forbidden']);
  });

  it('saves a definition (201) with its defaults, lists it after the config ones and reads it by id', async () => {
    const res = await request(app).post('/v1/experiments').set('Authorization', as(ADMIN)).send(definition);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'api', weights: [0, 1], experiment: { id: 'greeting', coverage: 1, status: 'running', allocation: { mode: 'fixed' } } });
    const list = await request(app).get('/v1/experiments').set('Authorization', as(READ));
    expect(list.status).toBe(200);
    expect(list.body.experiments.map((e: { experiment: { id: string }; source: string }) => [e.experiment.id, e.source])).toEqual([
      ['from-config', 'config'],
      ['greeting', 'api'],
    ]);
    const one = await request(app).get('/v1/experiments/greeting').set('Authorization', as(READ));
    expect([one.status, one.body.experiment.variants[1].overrides]).toEqual([200, { tone: 'formal', message: 'Welcome back!' }]);
  });

  it('answers 400 naming what is wrong, 404 for an unknown id, 409 for a config id', async () => {
    const bad = await request(app)
      .post('/v1/experiments')
      .set('Authorization', as(ADMIN))
      .send({ ...definition, variants: [{ id: 'a', overrides: { k: 0 } }, { id: 'a' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_argument');
    expect(bad.body.message).toMatch(/variants\.0\.overrides\.k/);
    const dup = await request(app).post('/v1/experiments').set('Authorization', as(ADMIN)).send({ ...definition, variants: [{ id: 'a' }, { id: 'a' }] });
    expect([dup.status, dup.body.message]).toEqual([400, expect.stringMatching(/variants\.1\.id: duplicate variant id "a"/)]);
    const array = await request(app).post('/v1/experiments').set('Authorization', as(ADMIN)).send([definition]);
    expect(array.status).toBe(400);
    const missing = await request(app).get('/v1/experiments/nope').set('Authorization', as(READ));
    expect([missing.status, missing.body.error]).toEqual([404, 'not_found']);
    const badId = await request(app).get('/v1/experiments/has%20space').set('Authorization', as(READ));
    expect(badId.status).toBe(400);
    const config = await request(app).post('/v1/experiments').set('Authorization', as(ADMIN)).send({ ...definition, id: 'from-config' });
    expect([config.status, config.body.error]).toEqual([409, 'conflict']);
  });

  it('shows the variant, the experiments and their overrides in POST /v1/turns', async () => {
    await attune.experiments.refresh();
    const res = await request(app).post('/v1/turns').set('Authorization', as(TURNS)).send({ userId: 'http-user', text: 'hello', reply: 'Hi there.' });
    expect(res.status).toBe(200);
    expect(res.body.tone).toBe('formal');
    expect(res.body.experiments).toEqual(expect.arrayContaining([{ id: 'greeting', variant: 'warm', overrides: { tone: 'formal', message: 'Welcome back!' } }]));
    // The first experiment's variant (config first) is the one `variant` carries.
    expect(res.body.variant).toBe(res.body.experiments[0].variant);
    expect(res.body.experiments[0].id).toBe('from-config');
  });
});
