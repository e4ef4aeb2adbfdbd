import request from 'supertest';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { parseApiKeys } from '../../adapters/http/api-keys';
import { MemoryStore } from '../../src/store/memory';
import { esRequest, esSession } from '../support/dialogflow-requests';
import { RasaConversation } from '../support/rasa-tracker';

const READ = 'read-key-0123456789ab';

function shop() {
  const attune = createAttune({ store: new MemoryStore(), catalog });
  return createShopApp(attune, {
    apiKeys: parseApiKeys(`${READ}:read`),
    dialogflowAuth: { headers: { 'x-webhook-secret': 'df-secret-1' } },
    rasaAuth: { token: 'rasa-token-1' },
    ratePerMinute: 2,
  }).app;
}

describe('every edge of the shop app is rate-limited', () => {
  const app = shop();
  const rasaCall = new RasaConversation('lim-1').user('hi', 'greet').call('action_attune_personalize');
  const edges = {
    '/v1': () => request(app).get('/v1/users/u1/segments').set('X-API-Key', READ),
    '/dialogflow': () => request(app).post('/dialogflow').set('x-webhook-secret', 'df-secret-1').send(esRequest({ session: esSession('lim-1'), text: 'hi', intent: 'greet' })),
    '/rasa/webhook': () => request(app).post('/rasa/webhook').query({ token: 'rasa-token-1' }).send(rasaCall),
    // Bot Framework has its own JWT auth: the budget is per client address. The body is
    // irrelevant: the limit answers before the adapter reads it.
    '/api/messages': () => request(app).post('/api/messages').send({}),
  };

  it.each(Object.keys(edges))('%s: over the budget → 429 with Retry-After', async (name) => {
    const call = edges[name as keyof typeof edges];
    for (let i = 0; i < 2; i++) expect((await call()).status).not.toBe(429);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
