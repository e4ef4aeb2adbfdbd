import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import request from 'supertest';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer, listen } from '../../../adapters/http/server';
import catalog from '../../../examples/ecommerce/catalog.json';
import { normalizeBatch } from '../../../src/core/event';
import { MemoryStore } from '../../../src/store/memory';
import { backends } from '../../support/backends';

const INGEST = 'ingest-key-0123456789ab';
const ADMIN = 'admin-key-0123456789abc';
const SHOP = 'https://shop.example';

/*
 * The official Segment and RudderStack Node clients, unchanged (only pointed at our host, with
 * no retries and one event a batch so a test is quick), against a listening server.
 */
describe.each(backends())('Segment and RudderStack SDKs over HTTP (%s)', (_name, makeBackend) => {
  let server: Server;
  let host: string;
  let close: () => Promise<void>;
  let attune: ReturnType<typeof createAttune>;

  beforeEach(async () => {
    const backend = makeBackend();
    attune = createAttune({ store: backend.store, catalog });
    server = await listen(createServer(attune, { apiKeys: parseApiKeys(`${INGEST}:ingest,${ADMIN}:admin`), corsOrigins: [SHOP] }), { port: 0, host: '127.0.0.1' });
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => backend.close();
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await close();
  });

  const exported = async (userId: string) => (await request(server).get(`/v1/users/${userId}/export`).set('Authorization', `Bearer ${ADMIN}`)).body as { events: { type: string; event?: string }[] };

  it('@segment/analytics-node: track, identify, alias and group land in the store (Basic auth, /v1/batch)', async () => {
    const errors: unknown[] = [];
    const analytics = new SegmentAnalytics({ writeKey: INGEST, host, maxRetries: 0, flushAt: 1 });
    analytics.on('error', (e) => errors.push(e));
    analytics.track({ userId: 'seg-u1', event: 'Product Viewed', properties: { product_id: 'p1' } });
    analytics.identify({ userId: 'seg-u1', traits: { plan: 'pro' } });
    analytics.group({ userId: 'seg-u1', groupId: 'acme' });
    analytics.alias({ userId: 'seg-u1', previousId: 'seg-anon-1' });
    await analytics.closeAndFlush({ timeout: 5000 });
    expect(errors).toEqual([]);
    const types = (await exported('seg-u1')).events.map((e) => e.type).sort();
    expect(types).toEqual(expect.arrayContaining(['track', 'identify', 'group']));
  });

  it('@segment/analytics-node with a wrong writeKey sees the 401', async () => {
    const errors: { code?: string; reason?: unknown }[] = [];
    const analytics = new SegmentAnalytics({ writeKey: 'not-a-key-0123456789', host, maxRetries: 0, flushAt: 1 });
    analytics.on('error', (e) => errors.push(e as { code?: string; reason?: unknown }));
    analytics.track({ userId: 'seg-u2', event: 'Product Viewed' });
    await analytics.closeAndFlush({ timeout: 5000 });
    expect(errors.length).toBe(1);
    expect(String((errors[0].reason as Error | undefined)?.message ?? '')).toMatch(/401/);
    expect((await exported('seg-u2')).events).toEqual([]);
  });

  it('@rudderstack/rudder-sdk-node: a gzip batch lands in the store', async () => {
    const failures: unknown[] = [];
    const client = new RudderAnalytics(INGEST, { dataPlaneUrl: host, flushAt: 1, retryCount: 0, flushInterval: 60_000, errorHandler: (e: unknown) => failures.push(e) });
    client.track({ userId: 'rs-u1', event: 'Product Viewed', properties: { product_id: 'p1' } });
    await client.flush();
    expect(failures).toEqual([]);
    expect((await exported('rs-u1')).events.map((e) => e.type)).toContain('track');
  });

  it('@rudderstack/rudder-sdk-node with a wrong writeKey sees the 401', async () => {
    const failures: { response?: { status?: number } }[] = [];
    const client = new RudderAnalytics('not-a-key-0123456789', { dataPlaneUrl: host, flushAt: 1, retryCount: 0, flushInterval: 60_000, errorHandler: (e: unknown) => failures.push(e as { response?: { status?: number } }) });
    client.track({ userId: 'rs-u2', event: 'Product Viewed' });
    await client.flush().catch(() => undefined);
    expect(failures.map((f) => f.response?.status)).toEqual([401]);
  });

  it('accepts a writeKey in the body, and /v1/alias, /v1/group and /v1/b', async () => {
    await request(server).post('/v1/track').send({ writeKey: INGEST, userId: 'wk-u1', event: 'Product Viewed' }).expect(200);
    await request(server).post('/v1/group').send({ writeKey: INGEST, userId: 'wk-u1', groupId: 'acme' }).expect(200);
    await request(server).post('/v1/alias').send({ writeKey: INGEST, userId: 'wk-u1', previousId: 'wk-anon' }).expect(200);
    await request(server).post('/v1/b').send({ writeKey: INGEST, batch: [{ type: 'track', userId: 'wk-u1', event: 'Cart Viewed' }] }).expect(200);
    await request(server).post('/v1/track').send({ writeKey: 'wrong-key-0123456789', userId: 'wk-u1', event: 'x' }).expect(401);
    expect((await exported('wk-u1')).events.map((e) => e.type).sort()).toEqual(expect.arrayContaining(['group', 'track', 'track']));
  });

  it('CORS: an allowed origin gets its preflight and headers; another gets none', async () => {
    const pre = await request(server).options('/v1/batch').set('Origin', SHOP).set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(SHOP);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const denied = await request(server).options('/v1/batch').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(denied.status).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    const post = await request(server).post('/v1/track').set('Origin', SHOP).set('Authorization', `Bearer ${INGEST}`).send({ userId: 'c1', event: 'x' });
    expect(post.headers['access-control-allow-origin']).toBe(SHOP);
  });
});

describe('clock-skew correction (Segment timestamps)', () => {
  it('timestamp = receivedAt − (sentAt − originalTimestamp)', () => {
    const receivedAt = new Date('2026-01-01T12:00:00.000Z');
    // The client's clock is an hour fast: it stamped the event 5 s before sending it.
    const [e] = normalizeBatch({ sentAt: '2026-01-01T13:00:05.000Z', batch: [{ type: 'track', userId: 'u', event: 'x', timestamp: '2026-01-01T13:00:00.000Z' }] }, receivedAt);
    expect(e.timestamp).toBe('2026-01-01T11:59:55.000Z');
    expect(e.originalTimestamp).toBe('2026-01-01T13:00:00.000Z');
    const [own] = normalizeBatch({ batch: [{ type: 'track', userId: 'u', event: 'x', timestamp: '2026-01-01T10:00:00.000Z', sentAt: '2026-01-01T10:00:02.000Z' }] }, receivedAt);
    expect(own.timestamp).toBe('2026-01-01T11:59:58.000Z');
    const [none] = normalizeBatch({ batch: [{ type: 'track', userId: 'u', event: 'x', timestamp: '2026-01-01T10:00:00.000Z' }] }, receivedAt);
    expect(none.timestamp).toBe('2026-01-01T10:00:00.000Z');
  });
});

describe('gzip bodies', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = await listen(createServer(createAttune({ store: new MemoryStore(), catalog }), { apiKeys: parseApiKeys(`${INGEST}:ingest`) }), { port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/batch`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const post = (body: Buffer, type: string) => fetch(url, { method: 'POST', body, headers: { Authorization: `Bearer ${INGEST}`, 'Content-Type': type, 'Content-Encoding': 'gzip' } });

  it('a gzip body that inflates beyond the limit is a 413, not a server out of memory', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'x', properties: { pad: 'a'.repeat(3 * 1024 * 1024) } }] })));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect((await post(bomb, 'application/json')).status).toBe(413);
  });

  it('a gzip body within the limit is read, whatever JSON label the client gives it', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ batch: [{ type: 'track', userId: 'gz-u1', event: 'Product Viewed' }] })));
    const res = await post(body, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });
  });
});
