import type { Express } from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer, type ServerOptions } from '../../../adapters/http/server';
import { rasaRoute } from '../../../adapters/rasa';
import { RasaConversation } from '../../support/rasa-tracker';
import { trustProxyFromEnv } from '../../../adapters/http/trust-proxy';
import { ConfigError } from '../../../src/core/errors';
import type { Attune } from '../../../src/engine/attune';
import { MemoryStore } from '../../../src/store/memory';

/*
 * Behind a reverse proxy: which X-Forwarded-For is believed decides which client a request
 * counts against. supertest connects from 127.0.0.1, the address of a proxy on this machine;
 * the throttle of failed authentications (2 a minute here) shows whom Attune took it for.
 */

const READ = 'read-key-0123456789ab';
const GUESSER = '198.51.100.7';
const OTHER = '198.51.100.8';

const opened: Attune[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

function server(options: Partial<ServerOptions> = {}): Express {
  const attune = createAttune({ store: new MemoryStore() });
  opened.push(attune);
  return createServer(attune, { apiKeys: parseApiKeys(`${READ}:read`), authFailuresPerMinute: 2, ...options });
}

/** A call with a wrong key, forwarded as from `forwardedFor` (the header as the proxy sends it). */
const wrongKey = (app: Express, forwardedFor: string) =>
  request(app).get('/v1/users/u1/segments').set('X-Forwarded-For', forwardedFor).set('X-API-Key', 'wrong-key-0123456789ab');

/** Spends the guesser's two failures; the next call tells whose budget it counted against. */
async function afterGuesser(app: Express, next: string): Promise<number> {
  for (let i = 0; i < 2; i++) expect((await wrongKey(app, GUESSER)).status).toBe(401);
  return (await wrongKey(app, next)).status;
}

describe('createServer behind a reverse proxy', () => {
  const saved = process.env.ATTUNE_TRUST_PROXY;
  beforeEach(() => delete process.env.ATTUNE_TRUST_PROXY);
  afterAll(() => {
    if (saved === undefined) delete process.env.ATTUNE_TRUST_PROXY;
    else process.env.ATTUNE_TRUST_PROXY = saved;
  });

  test('trusting the proxy on loopback, each forwarded client has its own budget', async () => {
    expect(await afterGuesser(server({ trustProxy: ['loopback'] }), OTHER)).toBe(401);
    expect(await afterGuesser(server({ trustProxy: ['loopback'] }), GUESSER)).toBe(429);
  });

  test('by default X-Forwarded-For is not believed: a new address per request does not escape the throttle', async () => {
    expect(await afterGuesser(server(), OTHER)).toBe(429);
  });

  test('a proxy that is not the peer is not believed either', async () => {
    expect(await afterGuesser(server({ trustProxy: ['10.0.0.0/8'] }), OTHER)).toBe(429);
  });

  test('with one hop trusted, an address the client prepends itself is ignored', async () => {
    // The proxy appends the address it saw; the client wrote the first one.
    expect(await afterGuesser(server({ trustProxy: 1 }), `203.0.113.50, ${GUESSER}`)).toBe(429);
    expect(await afterGuesser(server({ trustProxy: 1 }), `203.0.113.50, ${OTHER}`)).toBe(401);
  });

  test('ATTUNE_TRUST_PROXY applies when no option is given; a wrong value stops the start', async () => {
    process.env.ATTUNE_TRUST_PROXY = 'loopback';
    expect(await afterGuesser(server(), OTHER)).toBe(401);
    process.env.ATTUNE_TRUST_PROXY = 'true';
    expect(() => server()).toThrow(ConfigError);
    expect(() => server({ trustProxy: ['not-an-address'] })).toThrow(/not an address/);
  });
});

describe('a webhook in open mode behind a proxy', () => {
  const call = (app: Express, headers: Record<string, string> = {}) =>
    request(app).post('/rasa/webhook').set(headers).send(new RasaConversation('open-proxy-1').user('hi', 'greet').call('action_attune_personalize'));

  test.each([
    ['not trusted', false],
    ['trusted', ['loopback']],
  ] as const)('refuses every forwarded call, the proxy %s; a direct loopback call passes', async (_name, trustProxy) => {
    const app = server({ trustProxy, rasa: rasaRoute({ auth: 'open' }) });
    expect((await call(app, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(403);
    // Even one that claims to come from loopback: the proxy may have been told so by anyone.
    expect((await call(app, { 'X-Forwarded-For': '127.0.0.1' })).status).toBe(403);
    expect((await call(app, { Forwarded: 'for=203.0.113.9' })).status).toBe(403);
    expect((await call(app)).status).toBe(200);
  });
});

describe('trustProxyFromEnv', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['2', 2],
    ['loopback', ['loopback']],
    [' loopback , 10.0.0.0/8, ::1, fd00::/8 ', ['loopback', '10.0.0.0/8', '::1', 'fd00::/8']],
  ])('%j → %j', (raw, expected) => {
    expect(trustProxyFromEnv({ ATTUNE_TRUST_PROXY: raw })).toEqual(expected);
  });

  test.each(['true', 'TRUE', 'nginx', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129', 'loopback,', '-1', '1.5'])('%j is a ConfigError', (raw) => {
    expect(() => trustProxyFromEnv({ ATTUNE_TRUST_PROXY: raw })).toThrow(ConfigError);
  });
});
