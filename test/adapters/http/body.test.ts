import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { jsonBody } from '../../../adapters/http/body';

function app(): express.Express {
  const a = express();
  a.use(jsonBody({ logger: pino({ level: 'silent' }) }) as express.RequestHandler);
  a.all('/echo', (req, res) => res.json({ body: req.body === undefined ? 'none' : req.body }));
  return a;
}

describe('jsonBody', () => {
  test('a request without a body is passed on unparsed; one with a body is parsed, whatever its method', async () => {
    expect((await request(app()).get('/echo')).body).toEqual({ body: 'none' });
    expect((await request(app()).delete('/echo').send({ a: 1 })).body).toEqual({ body: { a: 1 } });
    expect((await request(app()).post('/echo').send({ b: 2 })).body).toEqual({ body: { b: 2 } });
    expect((await request(app()).get('/echo').set('content-type', 'application/json').send('{"c":3}')).body).toEqual({ body: { c: 3 } });
  });

  test('a malformed body is refused in our words', async () => {
    const bad = await request(app()).post('/echo').set('content-type', 'application/json').send('{"d":');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBeDefined();
  });
});
