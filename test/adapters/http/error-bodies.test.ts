import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { createAttune } from '../../../index';
import { createShopApp } from '../../../examples/ecommerce/app';
import catalog from '../../../examples/ecommerce/catalog.json';
import type { Attune } from '../../../src/engine/attune';
import { MemoryStore } from '../../../src/store/memory';

/*
 * Error bodies carry our own stable codes and messages. What express, body-parser and the
 * JSON parser say (which quotes the input and the parser's internals, and changes between
 * versions) goes to the log only. Checked on every endpoint that reads a body, over HTTP.
 */

const SECRET = 'error-bodies-webhook-secret';
const LIBRARY_TEXT = /Unexpected|position \d|is not valid JSON:|incorrect header check|entity too large|KOI8-R|X-UNKNOWN|Failed to decode|Error/;

/** Each endpoint, its credentials, and how its error body carries the message. */
const ENDPOINTS: [path: string, headers: Record<string, string>, messageOf: (body: Record<string, unknown>) => unknown][] = [
  ['/v1/track', {}, (b) => b.message],
  ['/api/messages', {}, (b) => b.message],
  ['/dialogflow', { 'x-webhook-secret': SECRET }, (b) => b.message],
  ['/rasa/webhook', {}, (b) => String(b.error).replace(/^Invalid body request: /, '')],
];

describe('error bodies say nothing internal', () => {
  let server: Server;
  let base: string;
  let attune: Attune;
  const logs: string[] = [];

  beforeAll(async () => {
    attune = createAttune({ store: new MemoryStore(), catalog, logger: pino({ level: 'debug' }, { write: (l: string) => void logs.push(l) }) });
    // The webhooks are closed by default: given their credentials (Rasa open, on loopback),
    // the requests reach the body parser instead of a 401 and, soon, the auth throttle's 429.
    const { app } = createShopApp(attune, { apiKeys: false, dialogflowAuth: { headers: { 'x-webhook-secret': SECRET } }, rasaAuth: 'open' });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await attune.close();
  });

  const post = (path: string, headers: Record<string, string>, body: string | Buffer) => request(base).post(path).set(headers).send(body);

  describe.each(ENDPOINTS)('%s', (path, auth, messageOf) => {
    it.each([
      ['malformed JSON', { 'content-type': 'application/json' }, '{"type": "track", oops}', 400, 'request body is not valid JSON'],
      ['a JSON parser quote of the input', { 'content-type': 'application/json' }, 'nul', 400, 'request body is not valid JSON'],
      ['an unsupported charset', { 'content-type': 'application/json; charset=koi8-r' }, '{}', 415, 'unsupported charset: send JSON in UTF-8'],
      ['an unknown Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }, '{}', 415, 'unsupported Content-Encoding: send identity, gzip, deflate or br'],
      ['a body that is not what its Content-Encoding says', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{"not":"gzip"}', 400, 'request body could not be decompressed as its Content-Encoding says'],
    ])('%s gets our own message', async (_what, headers, body, status, message) => {
      const before = logs.length;
      const res = await post(path, { ...auth, ...headers }, body);
      expect(res.status).toBe(status);
      expect(messageOf(res.body as Record<string, unknown>)).toBe(message);
      expect(res.text).not.toMatch(LIBRARY_TEXT);
      // The library's own words are kept for the operator.
      expect(logs.slice(before).join('\n')).toMatch(/"err":\{/);
    });

    it('a body over the limit gets a 413 with the limit in our words', async () => {
      const limit = path === '/rasa/webhook' ? 5 * 1024 * 1024 : 1024 * 1024;
      const res = await post(path, { ...auth, 'content-type': 'application/json' }, `{"a":"${'x'.repeat(limit)}"}`);
      expect(res.status).toBe(413);
      expect(messageOf(res.body as Record<string, unknown>)).toBe(`request body is larger than the limit of ${limit} bytes`);
      expect(res.text).not.toMatch(LIBRARY_TEXT);
    });
  });

  it('a valid gzip body is still read', async () => {
    // fetch, not supertest: superagent would serialize a Buffer as JSON.
    const res = await fetch(`${base}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ userId: 'u1', event: 'Product Viewed' })) });
    expect(res.status).toBe(200);
  });

  it('a path that is not valid percent-encoding gets a 400 in our words', async () => {
    for (const id of ['%E0%A4%A', '%', '%ZZ']) {
      const res = await request(base).get(`/v1/users/${id}/profile`);
      expect([id, res.status, res.body]).toEqual([id, 400, { error: 'invalid_argument', message: 'request path is not valid percent-encoding' }]);
    }
  });
});
