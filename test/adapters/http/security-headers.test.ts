import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { securityHeaders } from '../../../adapters/http/security-headers';
import { createServer } from '../../../adapters/http/server';
import { MemoryStore } from '../../../src/store/memory';

/** What an answer's headers say, less what differs from answer to answer or by body. */
function stable(headers: Record<string, unknown>): Record<string, unknown> {
  const { date, etag, 'content-length': _length, connection, 'keep-alive': _keepAlive, ...rest } = headers;
  void date;
  void etag;
  void connection;
  return rest;
}

function appWith(middleware: express.RequestHandler): express.Express {
  const app = express();
  app.use(middleware);
  app.get('/x', (_req, res) => res.json({ ok: true }));
  return app;
}

describe('security headers computed once', () => {
  test('are exactly what helmet sets, X-Powered-By removed, with the defaults and with options', async () => {
    for (const options of [{}, { contentSecurityPolicy: false, hsts: { maxAge: 60 } }]) {
      const ours = await request(appWith(securityHeaders(options) as express.RequestHandler)).get('/x');
      const theirs = await request(appWith(helmet(options))).get('/x');
      expect(stable(ours.headers)).toEqual(stable(theirs.headers));
      expect(ours.headers['x-powered-by']).toBeUndefined();
    }
    const off = await request(appWith(securityHeaders({ contentSecurityPolicy: false }) as express.RequestHandler)).get('/x');
    expect(off.headers['content-security-policy']).toBeUndefined();
  });

  test('every answer of the server carries them: the API, its errors, unknown routes', async () => {
    const attune = createAttune({ store: new MemoryStore() });
    const app = createServer(attune, { apiKeys: parseApiKeys('read-key-0123456789ab:read'), dashboard: false });
    const theirs = (await request(appWith(helmet())).get('/x')).headers;
    const names = Object.keys(stable(theirs)).filter((h) => h !== 'content-type');
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const path of ['/v1/users/u1/recommendations', '/livez', '/nowhere']) {
      const res = await request(app).get(path).set('authorization', path.startsWith('/v1') ? 'Bearer read-key-0123456789ab' : '');
      for (const h of names) expect([path, h, res.headers[h]]).toEqual([path, h, theirs[h]]);
    }
    const refused = await request(app).get('/v1/users/u1/recommendations');
    expect(refused.status).toBe(401);
    for (const h of names) expect(refused.headers[h]).toBe(theirs[h]);
  });
});
