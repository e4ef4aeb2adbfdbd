import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Express } from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { AttuneCloudAdapter } from '../../../adapters/botbuilder';
import { dialogflowRoute } from '../../../adapters/dialogflow';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer, listen } from '../../../adapters/http/server';
import { rasaRoute } from '../../../adapters/rasa';
import catalog from '../../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../../src/store/memory';
import { esRequest, esSession } from '../../support/dialogflow-requests';
import { emulatorMessage } from '../../support/emulator';
import { RasaConversation } from '../../support/rasa-tracker';

const READ = 'read-key-0123456789ab';
const APP_ID = '9b2f8c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d';
/** A loopback port nothing listens on: where the token checks would look for signing keys. */
const NO_KEY_SERVICE = 'http://127.0.0.1:1/.well-known/openidconfiguration';
const GUESSER = '198.51.100.7';

/** createServer with every route, Bot Framework credentials configured; the client address comes from X-Forwarded-For. */
function server(): Express {
  const attune = createAttune({ store: new MemoryStore(), catalog });
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-password',
    MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: NO_KEY_SERVICE,
    ToBotFromEmulatorOpenIdMetadataUrl: NO_KEY_SERVICE,
  });
  const adapter = new AttuneCloudAdapter(auth, { logger: attune.logger });
  const app = createServer(attune, {
    apiKeys: parseApiKeys(`${READ}:read`),
    botFramework: adapter.route(async (context) => void (await context.sendActivity('hi'))),
    dialogflow: dialogflowRoute({ auth: { headers: { 'x-webhook-secret': 'df-secret-1' } } }),
    rasa: rasaRoute({ auth: { token: 'rasa-token-1' } }),
  });
  app.set('trust proxy', true);
  return app;
}

const wrong = {
  '/v1': (a: Express) => request(a).get('/v1/users/u1/segments').set('X-Forwarded-For', GUESSER).set('X-API-Key', 'wrong-key-0123456789ab'),
  '/dialogflow': (a: Express) => request(a).post('/dialogflow').set('X-Forwarded-For', GUESSER).set('x-webhook-secret', 'df-secret-2').send(esRequest({ session: esSession('srv-1'), text: 'hi', intent: 'greet' })),
  '/rasa/webhook': (a: Express) => request(a).post('/rasa/webhook').query({ token: 'rasa-token-2' }).set('X-Forwarded-For', GUESSER).send(new RasaConversation('srv-1').user('hi', 'greet').call('action_attune_personalize')),
  '/api/messages': (a: Express) => request(a).post('/api/messages').set('X-Forwarded-For', GUESSER).set('Authorization', 'Bearer garbage').send(emulatorMessage('http://127.0.0.1:1/', 'u1', 'c1', 'hi')),
};

describe('createServer', () => {
  it('serves /healthz and /v1, and answers an unknown route with a 404 of our own', async () => {
    const app = createServer(createAttune({ store: new MemoryStore() }), { apiKeys: false });
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok', store: 'memory' });
    expect((await request(app).get('/v1/users/u1/segments')).status).toBe(200);
    const missing = await request(app).get('/nowhere');
    expect([missing.status, missing.body]).toEqual([404, { error: 'not_found', message: 'no such route' }]);
    expect(missing.headers['x-powered-by']).toBeUndefined();
  });

  it('mounts the Bot Framework, Dialogflow and Rasa routes only when they are given', async () => {
    const app = createServer(createAttune({ store: new MemoryStore() }), { apiKeys: false });
    for (const [method, path] of [['post', '/api/messages'], ['post', '/dialogflow'], ['post', '/rasa/webhook'], ['get', '/rasa/health']] as const) {
      expect([path, (await request(app)[method](path).send({})).status]).toEqual([path, 404]);
    }
  });

  it.each(Object.keys(wrong))('one throttle of failed authentications for every edge: 10 failures elsewhere, then %s answers 429 before looking', async (target) => {
    const app = server();
    const others = Object.entries(wrong).filter(([name]) => name !== target);
    for (let i = 0; i < 10; i++) {
      const [name, call] = others[i % others.length];
      expect([name, (await call(app)).status]).toEqual([name, 401]);
    }
    const blocked = await wrong[target as keyof typeof wrong](app);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ error: 'rate_limited', message: 'too many failed authentication attempts from this address' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('listen() resolves once listening, and rejects when the port is taken', async () => {
    const app = createServer(createAttune({ store: new MemoryStore() }), { apiKeys: false });
    const first = await listen(app, { port: 0, host: '127.0.0.1' });
    const { port } = first.address() as { port: number };
    await expect(listen(app, { port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    await new Promise((r) => first.close(r));
  });
});
