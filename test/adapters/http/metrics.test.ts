import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import request from 'supertest';
import { createAttune } from '../../../index';
import { AttuneCloudAdapter, AttuneMiddleware, withRecommendations } from '../../../adapters/botbuilder';
import { dialogflowRoute } from '../../../adapters/dialogflow';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createServer } from '../../../adapters/http/server';
import { rasaRoute } from '../../../adapters/rasa';
import catalog from '../../../examples/ecommerce/catalog.json';
import type { Attune } from '../../../src/engine/attune';
import { createMetrics, type Metrics } from '../../../src/observe/metrics';
import { MemoryStore } from '../../../src/store/memory';
import { RedisStore } from '../../../src/store/redis';
import type { Store } from '../../../src/store/store';
import { emulatorMessage, startConnector } from '../../support/emulator';
import { onTestRedis } from '../../store/redis-harness';
import { type Family, parsePrometheus, valueOf } from '../../support/prometheus';

const ADMIN = 'admin-key-0123456789ab';
const TURNS = 'turns-key-0123456789ab';
const INGEST = 'ingest-key-0123456789a';
const KEYS = parseApiKeys(`${ADMIN}:admin,${TURNS}:turns,${INGEST}:ingest`);

interface Running {
  attune: Attune;
  metrics: Metrics;
  base: string;
  close(): Promise<void>;
}

/** Attune's server with its metrics and a Bot Framework bot that asks for recommendations, on port 0. */
async function start(store: Store = new MemoryStore(), options: { metricsPublic?: boolean; readyDeadlineMs?: number } = {}): Promise<Running> {
  const metrics = createMetrics();
  const attune = createAttune({ store, catalog, hooks: metrics.hooks });
  const adapter = new AttuneCloudAdapter(new ConfigurationBotFrameworkAuthentication({}), { logger: attune.logger });
  adapter.use(new AttuneMiddleware(attune));
  const app = createServer(attune, {
    apiKeys: KEYS,
    metrics,
    ...options,
    botFramework: adapter.route(async (context) => void (await context.sendActivity(withRecommendations('Picked for you', { k: 2 })))),
    // Open webhooks answer loopback clients only, which the tests are.
    dialogflow: dialogflowRoute({ auth: 'open' }),
    rasa: rasaRoute({ auth: 'open' }),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    attune,
    metrics,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await attune.close();
    },
  };
}

async function scrape(base: string): Promise<Map<string, Family>> {
  const res = await request(base).get('/metrics').set('Authorization', `Bearer ${ADMIN}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(res.text);
}

describe('/metrics after real turns and events through HTTP', () => {
  let s: Running;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let families: Map<string, Family>;
  let shownByHttp = 0;
  let shownByBot = 0;

  beforeAll(async () => {
    s = await start();
    connector = await startConnector();
    const turns = { Authorization: `Bearer ${TURNS}` };
    // Three users' first turns through POST /v1/turns, each asking for two recommendations.
    for (const userId of ['u1', 'u2', 'u3']) {
      const res = await request(s.base).post('/v1/turns').set(turns).send({ userId, text: 'I need running shoes', reply: { text: 'Here you go', recommend: { k: 2 } } });
      expect(res.status).toBe(200);
      shownByHttp += (res.body as { reply: { recommendations?: unknown[] } }).reply.recommendations?.length ?? 0;
    }
    // One Bot Framework turn through /api/messages.
    const before = connector.replies.length;
    expect((await request(s.base).post('/api/messages').send(emulatorMessage(connector.url, 'bot-user', 'bot-conv', 'hello'))).status).toBeLessThan(300);
    const reply = connector.replies.slice(before).at(-1);
    shownByBot = reply?.suggestedActions?.actions?.length ?? 0;
    // REST ingestion (Bearer): a view and a click; the view again (a duplicate).
    const rest = { Authorization: `Bearer ${INGEST}` };
    await request(s.base).post('/v1/track').set(rest).send({ userId: 'u1', messageId: 'm-view', event: 'Product Viewed', properties: { product_id: catalog[0].id } }).expect(200);
    await request(s.base).post('/v1/track').set(rest).send({ userId: 'u1', messageId: 'm-click', event: 'Product Clicked', properties: { product_id: catalog[0].id } }).expect(200);
    await request(s.base).post('/v1/track').set(rest).send({ userId: 'u1', messageId: 'm-view', event: 'Product Viewed', properties: { product_id: catalog[0].id } }).expect(200);
    // A Segment client's batch (the writeKey as Basic auth username) for a user never seen in a turn.
    const basic = { Authorization: `Basic ${Buffer.from(`${INGEST}:`).toString('base64')}` };
    await request(s.base)
      .post('/v1/batch')
      .set(basic)
      .send({ batch: [{ type: 'identify', userId: 'seg-user', traits: { plan: 'pro' } }, { type: 'page', userId: 'seg-user', name: 'Home' }, { type: 'track', userId: 'seg-user', event: 'Product Viewed', properties: { product_id: catalog[1].id } }] })
      .expect(200);
    // Refused input: a turn without a user, an event without a name.
    await request(s.base).post('/v1/turns').set(turns).send({ text: 'hi' }).expect(400);
    await request(s.base).post('/v1/track').set(rest).send({ userId: 'u1' }).expect(400);
    await request(s.base).post('/api/messages').send({ text: 'no type' }).expect(400);
    await request(s.base).post('/dialogflow').send({ queryResult: 'not an object' }).expect(400);
    await request(s.base).post('/rasa/webhook').send({ next_action: 'action_attune_personalize' }).expect(400);
    await request(s.base).post('/rasa/webhook').set('Content-Type', 'application/json').send('{"next_action":').expect(400);
    await s.attune.flush();
    families = await scrape(s.base);
  });

  afterAll(async () => {
    await s.close();
    await connector.close();
  });

  it('is behind the admin key', async () => {
    expect((await request(s.base).get('/metrics')).status).toBe(401);
    expect((await request(s.base).get('/metrics').set('Authorization', `Bearer ${TURNS}`)).status).toBe(403);
  });

  it('times turns by adapter, and each stage by name', () => {
    expect(valueOf(families, 'attune_turn_duration_seconds', { adapter: 'http' }, 'attune_turn_duration_seconds_count')).toBe(3);
    expect(valueOf(families, 'attune_turn_duration_seconds', { adapter: 'botbuilder' }, 'attune_turn_duration_seconds_count')).toBe(1);
    expect(valueOf(families, 'attune_turn_duration_seconds', { adapter: 'http' }, 'attune_turn_duration_seconds_sum')).toBeGreaterThan(0);
    for (const stage of ['turnLogStage', 'recommendStage', 'feedbackStage']) expect(valueOf(families, 'attune_stage_duration_seconds', { stage }, 'attune_stage_duration_seconds_count')).toBe(4);
    expect(families.get('attune_turn_duration_seconds')?.type).toBe('histogram');
  });

  it('counts turns by outcome, and no degraded turn', () => {
    expect(valueOf(families, 'attune_turns_total', { adapter: 'http', outcome: 'ok' })).toBe(3);
    expect(valueOf(families, 'attune_turns_total', { adapter: 'botbuilder', outcome: 'ok' })).toBe(1);
    expect(valueOf(families, 'attune_turns_total', { outcome: 'degraded' })).toBe(0);
    expect(valueOf(families, 'attune_degraded_turns_total')).toBe(0);
  });

  it('counts events by type and source, duplicates and refused input', async () => {
    expect(valueOf(families, 'attune_events_ingested_total', { type: 'track', source: 'rest' })).toBe(2);
    expect(valueOf(families, 'attune_events_ingested_total', { type: 'identify', source: 'segment' })).toBe(1);
    expect(valueOf(families, 'attune_events_ingested_total', { type: 'page', source: 'segment' })).toBe(1);
    expect(valueOf(families, 'attune_events_ingested_total', { type: 'track', source: 'segment' })).toBe(1);
    expect(valueOf(families, 'attune_duplicate_events_total', { source: 'rest' })).toBe(1);
    // What the turns logged is every event in the store but the five the REST calls sent and
    // the one the batch's user entering a segment wrote.
    const stored = (await s.attune.store.readEvents({ limit: 10_000 })).events.length;
    expect(valueOf(families, 'attune_events_ingested_total', { source: 'turn' })).toBe(stored - 5 - 1);
    expect(valueOf(families, 'attune_events_ingested_total', { source: 'turn', type: 'track' })).toBeGreaterThanOrEqual(4 * 2);
    expect(valueOf(families, 'attune_validation_failures_total', { source: 'turns' })).toBe(1);
    expect(valueOf(families, 'attune_validation_failures_total', { source: 'rest' })).toBe(1);
    expect(valueOf(families, 'attune_validation_failures_total', { source: 'botbuilder' })).toBe(1);
    expect(valueOf(families, 'attune_validation_failures_total', { source: 'dialogflow' })).toBe(1);
    expect(valueOf(families, 'attune_validation_failures_total', { source: 'rasa' })).toBe(2);
  });

  it('counts recommendations shown on every adapter, and clicks', () => {
    expect(shownByHttp).toBe(6);
    expect(shownByBot).toBe(2);
    expect(valueOf(families, 'attune_recommendations_shown_total')).toBe(shownByHttp + shownByBot);
    expect(valueOf(families, 'attune_recommendations_clicked_total')).toBe(1);
  });

  it('counts segment entries from turns and from ingestion', () => {
    // Four first turns and one user first seen through the batch: five new visitors.
    expect(valueOf(families, 'attune_segment_entries_total', { segment: 'new-visitors' })).toBe(5);
  });

  it('includes the process metrics, and no store errors', () => {
    expect(families.get('attune_process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('attune_nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    expect(valueOf(families, 'attune_store_errors_total')).toBe(0);
  });
});

describe('/metrics with ATTUNE_METRICS_PUBLIC', () => {
  it('is served without a key when the server is told so', async () => {
    const s = await start(new MemoryStore(), { metricsPublic: true });
    try {
      const res = await request(s.base).get('/metrics');
      expect(res.status).toBe(200);
      expect(parsePrometheus(res.text).get('attune_turns_total')?.type).toBe('counter');
    } finally {
      await s.close();
    }
  });
});

describe('probes and metrics when the store does not answer', () => {
  it('/livez stays 200, /readyz is 503, turns are degraded by the store and its errors are counted', async () => {
    // Port 1 on loopback: nothing listens there, every command fails.
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 100, socketTimeoutMs: 200 });
    const s = await start(store, { readyDeadlineMs: 300 });
    try {
      expect((await request(s.base).get('/livez')).body).toEqual({ status: 'ok' });
      const ready = await request(s.base).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'not_ready', store: 'redis' });
      const turn = await request(s.base).post('/v1/turns').set('Authorization', `Bearer ${TURNS}`).send({ userId: 'u1', text: 'hi', reply: 'Hello' });
      expect(turn.body).toMatchObject({ degraded: true, reply: { text: 'Hello' } });
      const families = await scrape(s.base);
      expect(valueOf(families, 'attune_turns_total', { adapter: 'http', outcome: 'degraded' })).toBe(1);
      expect(valueOf(families, 'attune_degraded_turns_total', { reason: 'store' }) + valueOf(families, 'attune_degraded_turns_total', { reason: 'timeout' })).toBe(1);
      expect(valueOf(families, 'attune_store_errors_total', { op: 'readUser' })).toBe(1);
      expect(valueOf(families, 'attune_store_errors_total', { op: 'ping' })).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('/readyz is 200 on a store that answers', async () => {
    const s = await start();
    try {
      expect((await request(s.base).get('/readyz')).body).toEqual({ status: 'ready', store: 'memory' });
    } finally {
      await s.close();
    }
  });
});

onTestRedis('/readyz on Redis', (url) => {
  it('is 200 while Redis answers the ping', async () => {
    // Only pings: nothing is written to the test database.
    const s = await start(new RedisStore({ url }));
    try {
      expect((await request(s.base).get('/readyz')).body).toEqual({ status: 'ready', store: 'redis' });
      expect(valueOf(await scrape(s.base), 'attune_store_errors_total')).toBe(0);
    } finally {
      await s.close();
    }
  });
});
