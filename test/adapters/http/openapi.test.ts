import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Express } from 'express';
import request from 'supertest';
import { createAttune } from '../../../index';
import { AttuneCloudAdapter } from '../../../adapters/botbuilder';
import { dialogflowRoute } from '../../../adapters/dialogflow';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { ErrorBodySchema, IngestAnswerSchema, RecommendationsAnswerSchema, TurnResultSchema } from '../../../adapters/http/schemas';
import { createServer } from '../../../adapters/http/server';
import { rasaRoute } from '../../../adapters/rasa';
import catalog from '../../../examples/ecommerce/catalog.json';
import { createMetrics } from '../../../src/observe/metrics';
import { MemoryStore } from '../../../src/store/memory';
import { documentedRoutes, mountedRoutes, validateOpenApi } from '../../support/openapi';

const ADMIN = 'admin-key-0123456789ab';

/** createServer with every route it can mount. */
function fullServer(): Express {
  const metrics = createMetrics({ defaultMetrics: false });
  const attune = createAttune({ store: new MemoryStore(), catalog, hooks: metrics.hooks });
  const auth = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '9b2f8c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d', MicrosoftAppPassword: 'not-a-real-password', MicrosoftAppType: 'MultiTenant' });
  const adapter = new AttuneCloudAdapter(auth, { logger: attune.logger });
  return createServer(attune, {
    apiKeys: parseApiKeys(`${ADMIN}:admin`),
    metrics,
    botFramework: adapter.route(async (context) => void (await context.sendActivity('hi'))),
    dialogflow: dialogflowRoute({ auth: { headers: { 'x-webhook-secret': 'df-secret-1' } } }),
    rasa: rasaRoute({ auth: { token: 'rasa-token-1' } }),
  });
}

describe('the OpenAPI document', () => {
  const app = fullServer();
  let doc: { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown[] }>> };

  beforeAll(async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body as typeof doc;
  });

  it('is a valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    const verdict = validateOpenApi(doc);
    expect(verdict.errors).toBeUndefined();
    expect(verdict).toMatchObject({ valid: true, version: '3.1' });
  });

  it('documents every route the server mounts, and nothing it does not', () => {
    const mounted = mountedRoutes(app);
    // The walk sees the whole server: the REST API, the probes and every adapter.
    expect(mounted).toEqual(expect.arrayContaining(['POST /v1/turns', 'POST /v1/b', 'DELETE /v1/users/{id}', 'GET /metrics', 'POST /api/messages', 'POST /dialogflow', 'POST /rasa/webhook', 'GET /rasa/health', 'GET /dashboard/data']));
    expect(documentedRoutes(doc)).toEqual(mounted);
  });

  it('shows the zod schemas the edge validates with: a turn, a Segment batch, consent', () => {
    const body = (path: string, method: string) => JSON.stringify(doc.paths[path][method].requestBody);
    expect(body('/v1/turns', 'post')).toContain('"userId"');
    expect(body('/v1/turns', 'post')).toContain('"additionalProperties":false');
    expect(body('/v1/batch', 'post')).toContain('"maxItems":1000');
    expect(body('/v1/track', 'post')).toContain('"event"');
    expect(body('/v1/users/{id}/consent', 'put')).toContain('"propertyNames"');
    expect(body('/dialogflow', 'post')).toContain('queryResult');
    expect(body('/rasa/webhook', 'post')).toContain('next_action');
    expect(doc.paths['/v1/users/{id}/export'].get.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it('says what the server really answers (real answers parse with the documented schemas)', async () => {
    const auth = { Authorization: `Bearer ${ADMIN}` };
    const turn = await request(app).post('/v1/turns').set(auth).send({ userId: 'u1', text: 'running shoes please', reply: { text: 'Here you go', recommend: true } });
    expect(turn.status).toBe(200);
    TurnResultSchema.parse(turn.body);
    IngestAnswerSchema.parse((await request(app).post('/v1/track').set(auth).send({ userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } })).body);
    RecommendationsAnswerSchema.parse((await request(app).get('/v1/users/u1/recommendations?k=2').set(auth)).body);
    const refused = await request(app).post('/v1/turns').set(auth).send({ userId: '' });
    expect(refused.status).toBe(400);
    ErrorBodySchema.parse(refused.body);
  });

  it('is listed on a plain page at /docs, without scripts', async () => {
    const res = await request(app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<code>POST /v1/turns</code>');
    expect(res.text).toContain('<code>POST /rasa/webhook</code>');
    expect(res.text).toContain('href="openapi.json"');
    expect(res.text).not.toContain('<script');
  });

  it('follows the server: a server without adapters documents no adapter route', async () => {
    const bare = createServer(createAttune({ store: new MemoryStore() }), { apiKeys: false });
    const bareDoc = (await request(bare).get('/openapi.json')).body as typeof doc;
    expect(documentedRoutes(bareDoc)).toEqual(mountedRoutes(bare));
    expect(Object.keys(bareDoc.paths)).not.toContain('/dialogflow');
    expect(Object.keys(bareDoc.paths)).not.toContain('/metrics');
  });
});
