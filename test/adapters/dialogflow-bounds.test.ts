import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createAttune } from '../../index';
import { dialogflowWebhook } from '../../adapters/dialogflow';
import catalog from '../../examples/ecommerce/catalog.json';
import { errorHandler } from '../../adapters/http/errors';
import { MemoryStore } from '../../src/store/memory';
import { cxRequest, cxSession, esRequest, esSession, googleAssistant, type Json } from '../support/dialogflow-requests';

/*
 * Dialogflow webhook requests are bounded at the edge: a request deep or large enough to fail
 * the turn's redaction or write, or naming a user no store can key by, gets a 400 saying
 * where; odd parameter values within the bounds are simply carried through the turn.
 */

const SECRET = 'dialogflow-bounds-secret';

function webhook() {
  const logs: string[] = [];
  const attune = createAttune({ store: new MemoryStore(), catalog, logger: pino({ level: 'warn' }, { write: (l: string) => void logs.push(l) }) });
  const app = express();
  app.post('/dialogflow', dialogflowWebhook(attune, { auth: { headers: { 'x-webhook-secret': SECRET } }, recommend: true }));
  app.use(errorHandler(attune.logger));
  const post = (body: Json | string) => request(app).post('/dialogflow').set('x-webhook-secret', SECRET).set('Content-Type', 'application/json').send(body);
  return { attune, post, logs };
}

/** Splices a value nested `depth` levels deep where the marker string is: JSON.stringify would overflow on it. */
const withDeep = (body: Json, depth: number) => JSON.stringify(body).replace('"DEEP"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
const paths = (body: { issues?: { path: (string | number)[] }[] }) => (body.issues ?? []).map((i) => i.path.slice(0, 3).join('.'));

const es = (parameters: Json = { category: 'running' }, original?: Json) => esRequest({ session: esSession('bounds-1'), text: 'running shoes please', intent: 'product.search', parameters, original });
const cx = (sessionParameters: Json = {}) => cxRequest({ session: cxSession('bounds-1'), text: 'running shoes please', intent: 'product.search', sessionParameters, tag: 'recommend' });

describe('Dialogflow ES requests are bounded at the edge', () => {
  it('parameters nested 50,000 levels deep get a 400 at queryResult.parameters, not a failed stage', async () => {
    const { post, logs } = webhook();
    const res = await post(withDeep(es({ size: 'DEEP' }), 50_000));
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['queryResult.parameters.size']);
    expect(logs.filter((l) => /stage failed/.test(l))).toEqual([]);
  });

  it('a user id from the integration longer than a store key gets a 400', async () => {
    const { post } = webhook();
    const res = await post(es({}, googleAssistant('u'.repeat(600), 'hi')));
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['originalDetectIntentRequest.payload']);
  });

  it('a session path over 512 characters, or more than 200 parameters, get a 400', async () => {
    const { post } = webhook();
    const long = await post({ ...es(), session: esSession('s'.repeat(600)) });
    expect([long.status, paths(long.body)]).toEqual([400, ['session']]);
    const many = await post(es(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, i]))));
    // The request builder copies the parameters into the agent's context too.
    expect([many.status, paths(many.body)]).toEqual([400, ['queryResult.parameters', 'queryResult.outputContexts.0']]);
  });

  it('odd parameter values and prototype-named parameters are carried through a personalized turn', async () => {
    const { post, logs } = webhook();
    const res = await post(es({ category: 'running', size: 42, colour: null, tags: ['a', 1, { b: [] }], constructor: 'x', toString: { nested: true } }));
    expect(res.status).toBe(200);
    const attune = (res.body.outputContexts as { name: string; parameters: Json }[]).find((c) => c.name.endsWith('/contexts/attune'));
    expect((attune?.parameters.recommendations as string[]).length).toBeGreaterThan(0);
    expect(logs.filter((l) => /"level":50/.test(l))).toEqual([]);
  });
});

describe('Dialogflow CX requests are bounded at the edge', () => {
  it('session parameters nested 50,000 levels deep get a 400 at sessionInfo.parameters', async () => {
    const { post, logs } = webhook();
    const res = await post(withDeep(cx({ size: 'DEEP' }), 50_000));
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['sessionInfo.parameters.size']);
    expect(logs.filter((l) => /stage failed/.test(l))).toEqual([]);
  });

  it('a user_id session parameter longer than a store key gets a 400', async () => {
    const { post } = webhook();
    const res = await post(cx({ user_id: 'u'.repeat(600) }));
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['']);
    expect(res.body.message).toMatch(/the user id this request resolves to .* at most 512 characters/);
  });

  it('odd parameter values are carried through a personalized turn', async () => {
    const { post, logs } = webhook();
    const res = await post(cx({ size: [42], colour: { r: 1 }, constructor: 0, hasOwnProperty: 'no' }));
    expect(res.status).toBe(200);
    expect((res.body.sessionInfo.parameters.attune_recommendations as string[]).length).toBeGreaterThan(0);
    expect(logs.filter((l) => /"level":50/.test(l))).toEqual([]);
  });
});
