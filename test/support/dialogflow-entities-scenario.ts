import './dialogflow-node20';
import express from 'express';
import nock from 'nock';
import request from 'supertest';
import { createAttune } from '../../index';
import { dialogflowWebhook, restSessionEntityTypesClient } from '../../adapters/dialogflow';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import { ES_PROJECT, esRequest, esSession, googleAssistant } from './dialogflow-requests';

/**
 * The session-entity scenarios, run as a script (`tsx`) because nock 15 is an ES module that
 * jest's CommonJS runtime cannot load; test/adapters/dialogflow-entities.test.ts runs it and
 * checks the JSON it prints. nock stands in for Google's API only: our own app is called
 * over real HTTP on the loopback.
 */

const GOOGLE = 'https://dialogflow.googleapis.com';

function setup() {
  const attune = createAttune({ store: new MemoryStore(), catalog });
  // The REST transport with an API key: requests go over HTTPS as JSON, which nock can read.
  const client = restSessionEntityTypesClient({ apiKey: 'test-api-key', projectId: ES_PROJECT });
  const webhook = dialogflowWebhook(attune, { auth: 'open', recommend: true, sessionEntities: { client, k: 3 } });
  const app = express();
  app.post('/df', webhook);
  return { app, webhook };
}

async function pushes() {
  const { app, webhook } = setup();
  const session = esSession('ent-1');
  const pushed: unknown[] = [];
  // Only a call carrying the API key matches: the client really authenticates.
  // Only a call carrying the API key matches: the client really authenticates.
  const scope = nock(GOOGLE, { reqheaders: { 'x-goog-api-key': 'test-api-key' } })
    .post(`/v2/${session}/entityTypes`, (body: Record<string, unknown>) => pushed.push(body) > 0)
    .query(true)
    .times(2)
    .reply(200, JSON.stringify({ name: `${session}/entityTypes/product` }), { 'Content-Type': 'application/json' });
  const turn = () => esRequest({ session, text: 'running shoes please', intent: 'product.search', parameters: { category: 'running' }, original: googleAssistant('ent-user', 'running shoes please') });
  const first = await request(app).post('/df').send(turn());
  await webhook.sessionEntities?.flush();
  const afterFirst = pushed.length;
  // Same values on the next turn: nothing is pushed again (nock would refuse the call).
  const second = await request(app).post('/df').send(turn());
  await webhook.sessionEntities?.flush();
  return { session, statuses: [first.status, second.status], pushed, afterFirst, done: scope.isDone() };
}

async function failing() {
  const { app, webhook } = setup();
  const session = esSession('ent-2');
  const scope = nock(GOOGLE)
    .post(`/v2/${session}/entityTypes`)
    .query(true)
    .times(2)
    .reply(403, JSON.stringify({ error: { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' } }), { 'Content-Type': 'application/json' });
  const res = await request(app).post('/df').send(esRequest({ session, text: 'camping gear', intent: 'product.search', parameters: { category: 'camping' }, fulfillmentText: 'Camping it is.' }));
  await webhook.sessionEntities?.flush();
  return { status: res.status, fulfillmentText: res.body.fulfillmentText as string, done: scope.isDone() };
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  const result = { pushes: await pushes(), failing: await failing() };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
