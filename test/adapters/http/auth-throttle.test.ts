import express, { type Express } from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { dialogflowWebhook } from '../../../adapters/dialogflow';
import { rasaActionServer } from '../../../adapters/rasa';
import catalog from '../../../examples/ecommerce/catalog.json';
import { apiRouter } from '../../../adapters/http/api';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { errorHandler } from '../../../adapters/http/errors';
import { MemoryStore } from '../../../src/store/memory';
import { esRequest, esSession } from '../../support/dialogflow-requests';
import { RasaConversation } from '../../support/rasa-tracker';

const READ = 'read-key-0123456789ab';
const GUESSER = '198.51.100.7';
const OTHER = '198.51.100.8';

/** The three authenticated edges on one app; the client address comes from X-Forwarded-For. */
function app(): Express {
  const attune = createAttune({ store: new MemoryStore(), catalog });
  const a = express();
  a.set('trust proxy', true);
  a.use('/v1', apiRouter(attune, { keys: parseApiKeys(`${READ}:read`) }));
  a.post('/dialogflow', dialogflowWebhook(attune, { auth: { headers: { 'x-webhook-secret': 'df-secret-1' } } }));
  a.use('/rasa', rasaActionServer(attune, { auth: { token: 'rasa-token-1' } }));
  a.use(errorHandler(attune.logger));
  return a;
}

const rasaCall = new RasaConversation('thr-1').user('hi', 'greet').call('action_attune_personalize');
const edges = {
  '/v1': (a: Express, from: string, right: boolean) => request(a).get('/v1/users/u1/segments').set('X-Forwarded-For', from).set('X-API-Key', right ? READ : 'wrong-key-0123456789ab'),
  '/dialogflow': (a: Express, from: string, right: boolean) =>
    request(a).post('/dialogflow').set('X-Forwarded-For', from).set('x-webhook-secret', right ? 'df-secret-1' : 'df-secret-2').send(esRequest({ session: esSession('thr-1'), text: 'hi', intent: 'greet' })),
  '/rasa/webhook': (a: Express, from: string, right: boolean) => request(a).post('/rasa/webhook').query({ token: right ? 'rasa-token-1' : 'rasa-token-2' }).set('X-Forwarded-For', from).send(rasaCall),
};

describe.each(Object.entries(edges))('failed authentication is throttled on %s', (_name, call) => {
  it('after 10 failures a client gets 429 with Retry-After, even with the right credential; other clients are unaffected', async () => {
    const a = app();
    for (let i = 0; i < 10; i++) expect((await call(a, GUESSER, false)).status).toBe(401);
    const blocked = await call(a, GUESSER, true);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('rate_limited');
    expect(blocked.body.message).toMatch(/failed authentication/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(a, GUESSER, false)).status).toBe(429);
    expect((await call(a, OTHER, true)).status).toBe(200);
  });
});
