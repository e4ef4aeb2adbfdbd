import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { apiKeyAuth, parseApiKeys } from '../../../adapters/http/api-keys';
import { allOf, basicAuth, headerSecrets, queryToken } from '../../../adapters/http/auth-schemes';
import { AuthThrottle } from '../../../adapters/http/auth-throttle';
import { jsonBody } from '../../../adapters/http/body';
import { sendJson } from '../../../adapters/http/errors';
import { rateLimiter } from '../../../adapters/http/rate-limit';
import type { HttpMiddleware } from '../../../adapters/http/types';
import { webhookGuard } from '../../../adapters/http/webhook-guard';

/*
 * The edge's machinery is written against structural request and response types, so it runs
 * on node's own http objects as well as on Express's: checked here on a bare `http.Server`,
 * with no framework parsing the query, resolving the client address or sending JSON.
 */

const KEY = 'turns-key-0123456789a';

/** Runs middleware in order on a plain node request, then answers with what the body was. */
function chain(...steps: HttpMiddleware[]): http.RequestListener {
  return (req, res) => {
    const run = (i: number): void => {
      if (i === steps.length) return sendJson(res, 200, { ok: true, body: (req as { body?: unknown }).body ?? null });
      steps[i](req, res, (err?: unknown) => (err ? sendJson(res, 500, { error: 'unexpected' }) : run(i + 1)));
    };
    run(0);
  };
}

async function start(listener: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = http.createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const logger = pino({ level: 'silent' });
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('the edge on a plain node http server', () => {
  it('a webhook guard with a query token (the query string read from the URL), then a JSON body with its limit', async () => {
    const guard = webhookGuard({ name: 'test webhook', auth: queryToken({ token: 'tok-123', name: 'token' }), limiter: rateLimiter({ perMinute: 100 }), throttle: new AuthThrottle() });
    const s = await start(chain(guard, jsonBody({ limit: 64, logger })));
    try {
      const post = (path: string, body: string) => fetch(`${s.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const ok = await post('/hook?token=tok-123', '{"a":1}');
      expect([ok.status, await ok.json()]).toEqual([200, { ok: true, body: { a: 1 } }]);
      expect((await post('/hook?token=tok-124', '{}')).status).toBe(401);
      expect((await post('/hook?token=tok-123&token=tok-123', '{}')).status).toBe(401);
      expect((await post('/hook', '{}')).status).toBe(401);
      const big = await post('/hook?token=tok-123', `{"a":"${'x'.repeat(100)}"}`);
      expect([big.status, await big.json()]).toEqual([413, { error: 'payload_too_large', message: 'request body is larger than the limit of 64 bytes' }]);
      const bad = await post('/hook?token=tok-123', '{oops');
      expect([bad.status, await bad.json()]).toEqual([400, { error: 'invalid_argument', message: 'request body is not valid JSON' }]);
    } finally {
      await s.close();
    }
  });

  it('basic auth and header secrets together: both must pass; a failing client is throttled by its socket address', async () => {
    const check = allOf([basicAuth({ username: 'df', password: 'pw-1' }), headerSecrets({ 'x-webhook-secret': 'sec-1' })]);
    const guard = webhookGuard({ name: 'test webhook', auth: check, limiter: rateLimiter({ perMinute: 100 }), throttle: new AuthThrottle({ maxFailures: 2 }), challenge: 'Basic realm="test"' });
    const s = await start(chain(guard));
    try {
      const get = (headers: Record<string, string>) => fetch(`${s.base}/`, { headers });
      expect((await get({ authorization: basic('df', 'pw-1'), 'x-webhook-secret': 'sec-1' })).status).toBe(200);
      const noHeader = await get({ authorization: basic('df', 'pw-1') });
      expect([noHeader.status, noHeader.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="test"']);
      expect((await get({ authorization: basic('df', 'pw-2'), 'x-webhook-secret': 'sec-1' })).status).toBe(401);
      const blocked = await get({ authorization: basic('df', 'pw-1'), 'x-webhook-secret': 'sec-1' });
      expect([blocked.status, Number(blocked.headers.get('retry-after')) > 0]).toEqual([429, true]);
    } finally {
      await s.close();
    }
  });

  it('API keys with roles', async () => {
    const auth = apiKeyAuth({ keys: parseApiKeys(`${KEY}:turns`), ratePerMinute: 100 });
    const s = await start(chain(auth.requireRole('turns')));
    const t = await start(chain(auth.requireRole('read')));
    try {
      expect((await fetch(`${s.base}/`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
      expect((await fetch(`${s.base}/`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
      expect((await fetch(`${s.base}/`)).status).toBe(401);
      const forbidden = await fetch(`${t.base}/`, { headers: { 'x-api-key': KEY } });
      expect([forbidden.status, await forbidden.json()]).toEqual([403, { error: 'forbidden', message: 'this key has role turns; read is required' }]);
    } finally {
      await s.close();
      await t.close();
    }
  });
});
