import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { dialogflowWebhook, webhookAuthFromEnv } from '../../adapters/dialogflow';
import { rasaActionServer, type RasaAuth, rasaAuthFromEnv } from '../../adapters/rasa';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { ConfigError } from '../../src/core/errors';
import { MemoryStore } from '../../src/store/memory';
import { esRequest, esSession } from '../support/dialogflow-requests';
import { RasaConversation } from '../support/rasa-tracker';

const attune = () => createAttune({ store: new MemoryStore(), catalog });
const esBody = (id: string) => esRequest({ session: esSession(id), text: 'hi', intent: 'greet' });
const rasaCall = (id: string) => new RasaConversation(id).user('hi', 'greet').call('action_attune_personalize');

describe('webhooks are closed by default', () => {
  it('the shop app answers /dialogflow and /rasa/webhook with 401 when no credentials are configured', async () => {
    const { app } = createShopApp(attune());
    const df = await request(app).post('/dialogflow').send(esBody('closed-1'));
    expect(df.status).toBe(401);
    expect(df.body.error).toBe('unauthenticated');
    const rasa = await request(app).post('/rasa/webhook').send(rasaCall('closed-1'));
    expect(rasa.status).toBe(401);
    expect(rasa.body.error).toBe('unauthenticated');
    // Nothing about a user is behind these two, so they stay as rasa-sdk serves them.
    expect((await request(app).get('/rasa/health')).status).toBe(200);
    expect((await request(app).get('/rasa/actions')).status).toBe(200);
  });

  it('dialogflowWebhook and rasaActionServer without auth refuse every call', async () => {
    const app = express();
    app.post('/df', dialogflowWebhook(attune()));
    app.use('/rasa', rasaActionServer(attune()));
    expect((await request(app).post('/df').send(esBody('closed-2'))).status).toBe(401);
    expect((await request(app).post('/rasa/webhook').send(rasaCall('closed-2'))).status).toBe(401);
  });
});

describe('the Rasa action-server token (?token=)', () => {
  function app(auth: RasaAuth | undefined) {
    const a = express();
    a.use('/rasa', rasaActionServer(attune(), { auth }));
    return a;
  }

  it('accepts the action_endpoint token Rasa sends as ?token=, and refuses a missing, wrong or repeated one', async () => {
    const a = app({ token: 'rasa-t0ken-abc' });
    const call = rasaCall('tok-1');
    const ok = await request(a).post('/rasa/webhook').query({ token: 'rasa-t0ken-abc' }).send(call);
    expect(ok.status).toBe(200);
    expect(ok.body.events.map((e: { name: string }) => e.name)).toContain('attune_segments');
    expect((await request(a).post('/rasa/webhook').send(call)).status).toBe(401);
    expect((await request(a).post('/rasa/webhook').query({ token: 'rasa-t0ken-abd' }).send(call)).status).toBe(401);
    expect((await request(a).post('/rasa/webhook?token=rasa-t0ken-abc&token=rasa-t0ken-abc').send(call)).status).toBe(401);
    // A token in another place than Rasa puts it is not the token.
    expect((await request(a).post('/rasa/webhook').set('Authorization', 'Bearer rasa-t0ken-abc').send(call)).status).toBe(401);
  });

  it('honours a token_name other than token, and ATTUNE_RASA_TOKEN', async () => {
    const named = app({ token: 'rasa-t0ken-abc', tokenName: 'auth' });
    expect((await request(named).post('/rasa/webhook').query({ auth: 'rasa-t0ken-abc' }).send(rasaCall('tok-2'))).status).toBe(200);
    expect((await request(named).post('/rasa/webhook').query({ token: 'rasa-t0ken-abc' }).send(rasaCall('tok-2'))).status).toBe(401);
    const fromEnv = app(rasaAuthFromEnv({ ATTUNE_RASA_TOKEN: 'from-env-token' }));
    expect((await request(fromEnv).post('/rasa/webhook').query({ token: 'from-env-token' }).send(rasaCall('tok-3'))).status).toBe(200);
  });
});

describe('a half-configured auth is a start-up error, never an open webhook', () => {
  it('from the environment: a user without a password, a password without a user, empty values, a header without a secret', () => {
    expect(() => webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_USER: 'dialogflow' })).toThrow(ConfigError);
    expect(() => webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_PASSWORD: 's3cret' })).toThrow(ConfigError);
    expect(() => webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_USER: 'dialogflow', DIALOGFLOW_WEBHOOK_PASSWORD: '' })).toThrow(ConfigError);
    expect(() => webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_SECRET: '' })).toThrow(ConfigError);
    expect(() => webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_SECRET: '   ' })).toThrow(ConfigError);
    expect(() => webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_HEADER: 'x-df-secret' })).toThrow(ConfigError);
    expect(() => webhookAuthFromEnv({ ATTUNE_WEBHOOK_OPEN: 'yes please' })).toThrow(ConfigError);
    expect(() => rasaAuthFromEnv({ ATTUNE_RASA_TOKEN: '' })).toThrow(ConfigError);
    // What is whole still works, and nothing set means closed, not open.
    expect(webhookAuthFromEnv({ DIALOGFLOW_WEBHOOK_SECRET: 'tok-123' })).toEqual({ headers: { 'x-webhook-secret': 'tok-123' } });
    expect(webhookAuthFromEnv({})).toBeUndefined();
    expect(rasaAuthFromEnv({})).toBeUndefined();
    expect(webhookAuthFromEnv({ ATTUNE_WEBHOOK_OPEN: '1' })).toBe('open');
    expect(rasaAuthFromEnv({ ATTUNE_WEBHOOK_OPEN: '1' })).toBe('open');
  });

  it('in code: the webhook constructors throw', () => {
    const a = attune();
    expect(() => dialogflowWebhook(a, { auth: { basic: { username: 'dialogflow', password: '' } } })).toThrow(ConfigError);
    expect(() => dialogflowWebhook(a, { auth: { basic: { username: '', password: 's3cret' } } })).toThrow(ConfigError);
    expect(() => dialogflowWebhook(a, { auth: { headers: { 'x-webhook-secret': '' } } })).toThrow(ConfigError);
    expect(() => dialogflowWebhook(a, { auth: {} })).toThrow(ConfigError);
    expect(() => rasaActionServer(a, { auth: { token: '' } })).toThrow(ConfigError);
    expect(() => rasaActionServer(a, { auth: { token: 'rasa-t0ken-abc', tokenName: '' } })).toThrow(ConfigError);
  });
});

describe('open mode serves loopback clients only', () => {
  it('a call forwarded from beyond loopback is refused (403) on both webhooks; a loopback call passes', async () => {
    const app = express();
    // As behind a reverse proxy on this machine: the client address comes from X-Forwarded-For.
    app.set('trust proxy', true);
    app.post('/df', dialogflowWebhook(attune(), { auth: 'open' }));
    app.use('/rasa', rasaActionServer(attune(), { auth: 'open' }));
    const far = await request(app).post('/df').set('X-Forwarded-For', '203.0.113.9').send(esBody('open-1'));
    expect(far.status).toBe(403);
    expect(far.body.error).toBe('forbidden');
    expect((await request(app).post('/rasa/webhook').set('X-Forwarded-For', '203.0.113.9').send(rasaCall('open-1'))).status).toBe(403);
    expect((await request(app).post('/df').send(esBody('open-2'))).status).toBe(200);
    expect((await request(app).post('/rasa/webhook').send(rasaCall('open-2'))).status).toBe(200);
  });
});
