import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createAttune } from '../../index';
import type { AttuneCloudAdapter } from '../../adapters/botbuilder';
import { createShopApp, type ShopAppOptions } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { emulatorMessage, type RecordedActivity, startConnector } from '../support/emulator';

/*
 * `/api/messages` through real HTTP: the incoming activity is typed at the edge (a 400 for
 * what the turn cannot do without, dropped and counted fields for mere hints), Bot Framework
 * authentication failures are 401s, and no body carries a library's message.
 */

const APOLOGY = 'Sorry, something went wrong on my side.';
/** A loopback port nothing listens on: where the token checks look for signing keys here. */
const NO_KEY_SERVICE = 'http://127.0.0.1:1/.well-known/openidconfiguration';

interface Shop {
  attune: Attune;
  adapter: AttuneCloudAdapter;
  base: string;
  logs: string[];
  close(): Promise<void>;
}

async function shop(options: Partial<ShopAppOptions> = {}): Promise<Shop> {
  const logs: string[] = [];
  const attune = createAttune({ store: new MemoryStore(), catalog, logger: pino({ level: 'debug' }, { write: (l: string) => void logs.push(l) }) });
  const { app, adapter } = createShopApp(attune, { apiKeys: false, ...options });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    attune,
    adapter: adapter as AttuneCloudAdapter,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logs,
    close: async () => {
      await new Promise((r) => server.close(r));
      await attune.close();
    },
  };
}

describe('/api/messages types the incoming activity at the edge', () => {
  let s: Shop;
  let connector: Awaited<ReturnType<typeof startConnector>>;

  beforeAll(async () => {
    connector = await startConnector();
  });
  afterAll(async () => {
    await connector.close();
  });
  beforeEach(async () => {
    s = await shop();
  });
  afterEach(async () => {
    await s.close();
  });

  async function post(activity: Record<string, unknown> | string): Promise<{ status: number; body: Record<string, unknown>; reply?: RecordedActivity }> {
    const before = connector.replies.length;
    const res = await request(s.base).post('/api/messages').set('Content-Type', 'application/json').send(activity);
    return { status: res.status, body: res.body as Record<string, unknown>, reply: connector.replies.slice(before).at(-1) };
  }

  const message = (extra: Record<string, unknown> = {}) => emulatorMessage(connector.url, 'edge-user', 'edge-conv', 'I need running shoes', extra);
  const issuePaths = (body: Record<string, unknown>) => (body.issues as { path: (string | number)[] }[]).map((i) => i.path.join('.'));

  it('an activity without a type gets a 400 naming it, not a 500', async () => {
    const res = await post(message({ type: undefined }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_argument' });
    expect(issuePaths(res.body)).toEqual(['type']);
  });

  it('ids longer than a store key (from.id, conversation.id, id) get a 400 naming them', async () => {
    const long = 'x'.repeat(513);
    for (const [extra, path] of [
      [{ from: { id: long, name: 'User' } }, 'from.id'],
      [{ conversation: { id: long } }, 'conversation.id'],
      [{ id: long }, 'id'],
    ] as const) {
      const res = await post(message(extra));
      expect([path, res.status]).toEqual([path, 400]);
      expect(issuePaths(res.body)).toEqual([path]);
    }
  });

  it('a missing or unusable serviceUrl gets a 400: the bot could not answer anyway', async () => {
    for (const serviceUrl of [undefined, '', 'not a url', 42, 'ftp://127.0.0.1/']) {
      const res = await post(message({ serviceUrl }));
      expect([serviceUrl, res.status]).toEqual([serviceUrl, 400]);
      expect(issuePaths(res.body)).toEqual(['serviceUrl']);
    }
  });

  it('deep channelData gets a 400, not a stack overflow in a later stage', async () => {
    // Spliced in as text: JSON.stringify itself would overflow on a value this deep.
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const res = await post(JSON.stringify(message({ channelData: 'DEEP' })).replace('"DEEP"', deep));
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/nested deeper than 64 levels/);
  });

  it('a non-string locale, odd entities and a non-string display name are dropped and counted; the user still gets a personalized answer', async () => {
    const res = await post(message({ locale: { lang: 'en' }, entities: { type: 'clientInfo' }, from: { id: 'edge-user', name: 42, role: ['user'] } }));
    expect(res.status).toBe(200);
    expect(res.reply?.text).not.toBe(APOLOGY);
    expect(res.reply?.suggestedActions?.actions.length ?? res.reply?.attachments?.length).toBeGreaterThan(0);
    expect(Object.fromEntries(s.adapter.dropped)).toEqual({ locale: 1, entities: 1, 'from.name': 1, 'from.role': 1 });
    await s.attune.flush();
    expect((await s.attune.profile('edge-user'))?.context.locale).toBeUndefined();
    const odd = await post(message({ entities: [null, 7, { type: 'clientInfo', locale: { x: 1 } }, { notype: true }] }));
    expect(odd.status).toBe(200);
    expect(odd.reply?.text).not.toBe(APOLOGY);
    expect(s.adapter.dropped.get('entities.0')).toBe(1);
    expect(s.adapter.dropped.get('entities.3')).toBe(1);
  });

  it('over-long text is cut, not refused', async () => {
    const res = await post(message({ text: `I need running shoes ${'a'.repeat(40_000)}` }));
    expect(res.status).toBe(200);
    expect(s.adapter.dropped.get('text')).toBe(1);
  });

  it('an activity id of the full 512 characters is logged in both directions, not lost in a failed write', async () => {
    const res = await post(message({ id: 'i'.repeat(512) }));
    expect(res.status).toBe(200);
    await s.attune.flush();
    const events = (await s.attune.export('edge-user')).events.map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['Message Received', 'Message Sent']));
    expect(s.logs.filter((l) => /could not save/.test(l))).toEqual([]);
  });

  it('a reply the connector refuses is logged; the channel gets its 200 without the library message', async () => {
    const refusing = http.createServer((_req, res) => void res.writeHead(404).end());
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
    const res = await post(emulatorMessage(url, 'edge-user', 'edge-conv', 'hi'));
    await new Promise((r) => refusing.close(r));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body ?? '')).not.toMatch(/RestError|Error:/);
    expect(s.logs.some((l) => /could not send the apology/.test(l))).toBe(true);
  });

  it('an invoke the bot does not handle still gets botbuilder\'s 501', async () => {
    const res = await post(message({ type: 'invoke', name: 'unknown/thing', value: {} }));
    expect(res.status).toBe(501);
  });
});

describe('/api/messages with Bot Framework credentials configured', () => {
  let s: Shop;

  beforeAll(async () => {
    s = await shop({
      botAuth: {
        MicrosoftAppId: '9b2f8c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d',
        MicrosoftAppPassword: 'not-a-real-password',
        MicrosoftAppType: 'MultiTenant',
        ToBotFromChannelOpenIdMetadataUrl: NO_KEY_SERVICE,
        ToBotFromEmulatorOpenIdMetadataUrl: NO_KEY_SERVICE,
      },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  /** Looks like a Bot Framework channel's token (right issuer and audience), signed by nobody. */
  const crafted = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss: 'https://api.botframework.com', aud: '9b2f8c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d', serviceurl: 'http://127.0.0.1:1/' })}.c2lnbmF0dXJl`;

  it.each([
    ['no token', undefined],
    ['garbage', 'Bearer garbage'],
    ['no scheme', 'garbage'],
    ['a crafted channel token whose keys cannot be fetched', `Bearer ${crafted}`],
  ])('%s gets a 401 with our own message, and the reason goes to the log only', async (_what, authorization) => {
    const before = s.logs.length;
    const req = request(s.base).post('/api/messages');
    if (authorization) req.set('Authorization', authorization);
    const res = await req.send(emulatorMessage('http://127.0.0.1:1/', 'u1', 'c1', 'hi'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', message: 'missing or invalid Bot Framework token' });
    expect(res.text).not.toMatch(/https?:\/\/|Error|Unauthorized\./);
    expect(s.logs.slice(before).some((l) => /failed Bot Framework authentication/.test(l))).toBe(true);
  });
});
