import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer } from '../../../adapters/http/server';
import type { Attune } from '../../../src/engine/attune';
import { StoreError } from '../../../src/core/errors';
import { MemoryStore } from '../../../src/store/memory';
import type { Store } from '../../../src/store/store';
import { type Backend, backends } from '../../support/backends';
import { smallCatalog } from '../../support/catalog';

/*
 * POST /v1/turns through real HTTP: any bot's turn as JSON in, the personalization out,
 * behind an API key with the `turns` role, with the same validation, logging and
 * degradation as every other adapter.
 */

const TURNS = 'turns-key-0123456789a';
const INGEST = 'ingest-key-0123456789';
const READ = 'read-key-0123456789ab';
const ADMIN = 'admin-key-0123456789a';
const KEYS = parseApiKeys(`${TURNS}:turns,${INGEST}:ingest,${READ}:read,${ADMIN}:admin`);

const turn = (app: Express, body: unknown, key: string | null = TURNS) => {
  const r = request(app).post('/v1/turns');
  if (key) r.set('Authorization', `Bearer ${key}`);
  return r.send(body as object);
};

describe('POST /v1/turns: access', () => {
  const app = createServer(createAttune({ store: new MemoryStore(), catalog: smallCatalog() }), { apiKeys: KEYS });
  const body = { userId: 'acc-1', text: 'hi' };

  it('needs an API key: 401 without one or with an unknown one', async () => {
    const none = await turn(app, body, null);
    expect([none.status, none.body.error]).toEqual([401, 'unauthenticated']);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await turn(app, body, 'not-a-real-key-at-all')).status).toBe(401);
  });

  it('needs the turns role (or admin): an ingest or a read key gets 403', async () => {
    for (const key of [INGEST, READ]) {
      const res = await turn(app, body, key);
      expect([res.status, res.body.error, res.body.message]).toEqual([403, 'forbidden', expect.stringMatching(/turns is required/)]);
    }
    expect((await turn(app, body, TURNS)).status).toBe(200);
    expect((await turn(app, body, ADMIN)).status).toBe(200);
  });

  it('spends from the key\'s one budget, shared with the other /v1 routes', async () => {
    const limited = createServer(createAttune({ store: new MemoryStore(), catalog: smallCatalog() }), { apiKeys: KEYS, ratePerMinute: 2 });
    expect((await request(limited).get('/v1/users/acc-1/segments').set('X-API-Key', ADMIN)).status).toBe(200);
    expect((await turn(limited, body, ADMIN)).status).toBe(200);
    const over = await turn(limited, body, ADMIN);
    expect([over.status, over.body.error, Number(over.headers['retry-after']) > 0]).toEqual([429, 'rate_limited', true]);
  });
});

describe('POST /v1/turns: bad input is a 400 naming the field', () => {
  const app = createServer(createAttune({ store: new MemoryStore(), catalog: smallCatalog() }), { apiKeys: KEYS });
  const paths = (body: { issues?: { path: (string | number)[] }[] }) => (body.issues ?? []).map((i) => i.path.join('.'));

  it.each([
    ['a missing userId', { text: 'hi' }, 'userId'],
    ['an empty userId', { userId: '' }, 'userId'],
    ['a userId longer than a store key', { userId: 'u'.repeat(513) }, 'userId'],
    ['a locale that is not a string', { userId: 'u1', locale: 42 }, 'locale'],
    ['a field the turn does not have', { userId: 'u1', surprise: true }, ''],
    ['a draft reply of the wrong shape', { userId: 'u1', reply: { text: 'hi', recommend: { k: 0 } } }, 'reply.recommend.k'],
    ['a timestamp that is not a date', { userId: 'u1', timestamp: 'yesterday' }, 'timestamp'],
    ['entities nested too deep', { userId: 'u1', entities: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } }, 'entities'],
  ])('%s', async (_what, body, path) => {
    const res = await turn(app, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_argument');
    expect(res.body.message).toMatch(/^invalid turn: /);
    expect(paths(res.body).some((p: string) => p.startsWith(path))).toBe(true);
    if (path) expect(res.body.message).toContain(path.split('.')[0]);
    else expect(res.body.message).toMatch(/surprise/);
  });

  it('a body that is not a JSON object, or not JSON at all', async () => {
    for (const raw of ['[1,2]', '"hi"', '{"userId":']) {
      const res = await request(app).post('/v1/turns').set('Authorization', `Bearer ${TURNS}`).set('Content-Type', 'application/json').send(raw);
      expect([raw, res.status, res.body.error]).toEqual([raw, 400, 'invalid_argument']);
    }
  });
});

describe.each(backends())('POST /v1/turns personalizes (%s store)', (_name, make) => {
  let backend: Backend;
  let attune: Attune;
  let app: Express;

  beforeEach(() => {
    backend = make();
    attune = createAttune({ store: backend.store, catalog: smallCatalog(), idKeys: false });
    app = createServer(attune, { apiKeys: KEYS });
  });
  afterEach(async () => {
    await attune.flush();
    await backend.close();
  });

  it('the draft reply comes back rewritten in the user\'s tone', async () => {
    const res = await turn(app, { userId: 'tone-1', sessionId: 'web-1', channel: 'web', text: 'hi', reply: 'Our shop is open.' });
    expect(res.status).toBe(200);
    // A first-time visitor is in new-visitors, whose tone is friendly by default.
    expect(res.body).toMatchObject({ firstVisit: true, degraded: false, tone: 'friendly', segments: expect.arrayContaining(['new-visitors']) });
    expect(res.body.reply.text).toMatch(/^Welcome!.*Our shop is open\./);
    expect(res.body.reply.text).not.toBe('Our shop is open.');
  });

  it('what the user talks about visibly changes what comes back', async () => {
    const before = await turn(app, { userId: 'camper-1', text: 'hello', reply: { text: 'Picks:', recommend: { k: 3 } } });
    expect(before.status).toBe(200);
    const categories = (recs: { item?: { category?: string } }[]) => recs.map((r) => r.item?.category);
    // A newcomer gets what is popular: not camping gear in particular.
    expect(categories(before.body.reply.recommendations)).toHaveLength(3);
    expect(categories(before.body.reply.recommendations).every((c) => c === 'camping')).toBe(false);
    const talked = await turn(app, { userId: 'camper-1', text: 'I need camping gear, a tent', intent: 'browse', entities: { category: 'camping' } });
    expect(talked.status).toBe(200);
    const after = await turn(app, { userId: 'camper-1', text: 'what do you suggest?', reply: { text: 'Try these:', recommend: { k: 3 } } });
    expect(after.status).toBe(200);
    expect(after.body.firstVisit).toBe(false);
    expect(categories(after.body.reply.recommendations)).toEqual(['camping', 'camping', 'camping']);
    expect(categories(after.body.recommendations)[0]).toBe('camping');
    // The turns were logged, and the profile is the one every adapter and the REST API read.
    await attune.flush();
    const profile = await request(app).get('/v1/users/camper-1/profile').set('X-API-Key', READ);
    expect(Object.keys(profile.body.profile.affinities)).toEqual(['camping']);
    const { events } = await attune.export('camper-1');
    expect(events.filter((e) => e.event === 'Message Received')).toHaveLength(3);
  });
});

/** A store every call of which fails, as when its server is down; closing it succeeds. */
function downStore(): Store {
  const store = new MemoryStore();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return () => Promise.reject(new StoreError(`${String(prop)} failed: connect ECONNREFUSED redis://10.0.0.9:6379`));
    },
  });
}

describe('POST /v1/turns when the store is down', () => {
  it('answers 200 with degraded: true and the draft as it was, nothing internal in the body, the failure logged', async () => {
    const logs: string[] = [];
    const attune = createAttune({ store: downStore(), catalog: smallCatalog(), logger: pino({ level: 'warn' }, { write: (l: string) => void logs.push(l) }) });
    const app = createServer(attune, { apiKeys: KEYS });
    const res = await turn(app, { userId: 'down-1', text: 'I need a tent', reply: { text: 'Here is what we have.', recommend: { k: 3 } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ degraded: true, reply: { text: 'Here is what we have.' } });
    expect(res.text).not.toMatch(/ECONNREFUSED|redis:\/\/|Error/);
    expect(logs.some((l) => /"level":50/.test(l) && /ECONNREFUSED/.test(l))).toBe(true);
    expect((await request(app).get('/healthz')).status).toBe(503);
    await attune.close();
  });
});
