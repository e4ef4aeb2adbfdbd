import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { parseApiKeys } from '../../adapters/http/api-keys';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { FUZZ_USERS, type FuzzRequest, type FuzzTargets, fuzzRequests } from '../support/fuzz-requests';
import { deleteKeys, RUN_PREFIX, redisUrlFor } from '../store/redis-harness';

/*
 * A property-based fuzz of the shop app's every endpoint, over real HTTP on loopback, on the
 * memory store and on Redis. Whatever arrives, the app answers below 500 (but botbuilder's
 * 501 for an `invoke` the bot does not handle), no response says anything internal, nothing
 * fails to be written, memory stays bounded, and the users the requests were about can still
 * talk to the bot afterwards.
 */

const SEED = 20_240_601;
const RUNS = 1500;
const RSS_GROWTH_LIMIT = 200 * 1024 * 1024;

const redisUrl = redisUrlFor('fuzzing the shop app on Redis');

/** What a response body must never contain. */
const INTERNAL: [string, RegExp][] = [
  ['a stack frame', /\bat (?:[\w$.<>[\] ]+ )?\(?(?:\/|[A-Za-z]:\\|node:)[^)\s]*:\d+:\d+/],
  ['node_modules', /node_modules/],
  ['a library error', /\b[A-Z][A-Za-z]*Error\b|\bError:/],
  ['a Redis URL', /rediss?:\/\//i],
  ['a source path', /(?:\/[\w.-]+){2,}\.(?:ts|js|mjs|cjs)\b|[A-Za-z]:\\[\w\\]/],
  ['a JSON parser message', /Unexpected (?:token|end of JSON|non-whitespace)|at position \d+|in JSON at|["'] is not valid JSON/],
  ['a body-parser message', /request entity too large|unsupported (?:charset|content encoding) "|stream encoding|incorrect header check|Failed to decode param/],
  ['a Node.js error', /ECONNREFUSED|ENOTFOUND|getaddrinfo|is not a function|Cannot read propert|Maximum call stack|Invalid URL/],
];

/** Keys of each role; several each, so that the per-key rate limit leaves most requests through. */
const KEYS = {
  ingest: ['fuzz-ingest-key-000001', 'fuzz-ingest-key-000002', 'fuzz-ingest-key-000003'],
  read: ['fuzz-read-key-0000001', 'fuzz-read-key-0000002', 'fuzz-read-key-0000003'],
  turns: ['fuzz-turns-key-000001', 'fuzz-turns-key-000002', 'fuzz-turns-key-000003'],
  admin: ['fuzz-admin-key-000001', 'fuzz-admin-key-000002', 'fuzz-admin-key-000003'],
};
const KEY_SPEC = Object.entries(KEYS)
  .flatMap(([role, keys]) => keys.map((k) => `${k}:${role}`))
  .join(',');
const DIALOGFLOW_SECRET = 'fuzz-dialogflow-secret-0001';

/** A Bot Framework connector on loopback: records replies, and fails every reply under `/gone/`. */
async function startFuzzConnector(): Promise<{ url: string; replies: Map<string, number>; close(): Promise<void> }> {
  const replies = new Map<string, number>();
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return res.writeHead(404).end();
      const conversation = decodeURIComponent(m[1]);
      replies.set(conversation, (replies.get(conversation) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${++n}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, replies, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Refuses connections anywhere but loopback while the fuzz runs (botbuilder would otherwise
 * reach out to api.botframework.com or a token service for some activities). A refused
 * attempt is redirected to a closed loopback port, so the caller sees an ordinary failure.
 */
function loopbackOnly(): { escapes: string[]; restore(): void } {
  const escapes: string[] = [];
  const original = net.Socket.prototype.connect;
  const loopback = new Set(['127.0.0.1', 'localhost', '::1']);
  const connect = original as (this: net.Socket, ...a: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first, second] = args;
    const options = typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as { host?: string; path?: string }) : undefined;
    const host = options ? (options.path ? undefined : (options.host ?? 'localhost')) : typeof second === 'string' ? second : typeof first === 'string' && !/^\d+$/.test(first) ? undefined : 'localhost';
    if (host !== undefined && !loopback.has(host)) {
      escapes.push(host);
      return connect.call(this, { host: '127.0.0.1', port: 1 });
    }
    return connect.apply(this, args);
  } as typeof original;
  return { escapes, restore: () => void (net.Socket.prototype.connect = original) };
}

interface Answer {
  status: number;
  body: string;
}

function send(base: URL, agent: http.Agent, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body) headers['content-length'] = r.body.length;
    const req = http.request({ host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

const isInvoke = (r: FuzzRequest) => r.kind === 'activity' && /"type":"invoke"/.test(r.body?.toString('utf8') ?? '');

/** What went wrong with one answer, if anything. */
function problemWith(r: FuzzRequest, a: Answer): string | undefined {
  if (a.status >= 500 && !(a.status === 501 && isInvoke(r))) return `status ${a.status}`;
  const leaked = INTERNAL.filter(([, pattern]) => pattern.test(a.body)).map(([what]) => what);
  return leaked.length ? `the body shows ${leaked.join(', ')}` : undefined;
}

const isAttuneError = (entry: { level: number; msg?: string }) => entry.level >= 50 && /^attune[:/]/.test(entry.msg ?? '');

/** The store, with every write it refuses recorded: an accepted request must never fail to be written. */
function recordingFailedWrites(store: Store, failures: string[]): Store {
  const write = store.write.bind(store);
  store.write = async (batch) => {
    try {
      return await write(batch);
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
  return store;
}

interface Served {
  attune: Attune;
  base: URL;
  close(): Promise<void>;
}

type StoreCase = [name: string, open: () => Store, cleanup: () => Promise<void>];

const prefix = `${RUN_PREFIX}fuzz:`;
const stores: StoreCase[] = [['memory', () => new MemoryStore(), async () => {}]];
if (redisUrl) {
  stores.push([
    'redis',
    () => new RedisStore({ url: redisUrl, keyPrefix: prefix }),
    async () => {
      const Redis = (await import('ioredis')).default;
      const admin = new Redis(redisUrl);
      await deleteKeys(admin, prefix);
      admin.disconnect();
    },
  ]);
}

describe.each(stores)('fuzzing every endpoint of the shop app (%s store)', (name, open, cleanup) => {
  let served: Served;
  let connector: Awaited<ReturnType<typeof startFuzzConnector>>;
  let guard: ReturnType<typeof loopbackOnly>;
  let agent: http.Agent;
  let targets: FuzzTargets;
  const errors: string[] = [];
  const failedWrites: string[] = [];
  const secretBefore = process.env.DIALOGFLOW_WEBHOOK_SECRET;

  beforeAll(async () => {
    guard = loopbackOnly();
    connector = await startFuzzConnector();
    // Records what Attune logs at error level: a failed write or a failed stage shows there.
    // (The shop bot's own errors, such as a reply the broken connector refused, are expected.)
    const logger = pino({ level: 'warn' }, { write: (line: string) => void (isAttuneError(JSON.parse(line)) && errors.push(line.slice(0, 2000))) });
    const attune = createAttune({ store: recordingFailedWrites(open(), failedWrites), catalog, logger });
    process.env.DIALOGFLOW_WEBHOOK_SECRET = DIALOGFLOW_SECRET;
    // Rasa in open mode: the fuzz runs on loopback, and its requests carry no token.
    const { app } = createShopApp(attune, { apiKeys: parseApiKeys(KEY_SPEC), dialogflowAuth: { headers: { 'x-webhook-secret': DIALOGFLOW_SECRET } }, rasaAuth: 'open', ratePerMinute: 1_000_000, authFailuresPerMinute: 1_000_000 });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    served = {
      attune,
      base,
      close: async () => {
        agent.destroy();
        await new Promise((r) => server.close(r));
        await attune.flush();
        await attune.close();
      },
    };
    targets = {
      connectorUrl: connector.url,
      brokenConnectorUrl: `${connector.url}gone/`,
      keys: KEYS,
      dialogflowHeaders: { 'x-webhook-secret': DIALOGFLOW_SECRET },
      rasaHeaders: {},
    };
    await attune.store.ping();
  });

  afterAll(async () => {
    await served?.close();
    await connector?.close();
    guard?.restore();
    if (secretBefore === undefined) delete process.env.DIALOGFLOW_WEBHOOK_SECRET;
    else process.env.DIALOGFLOW_WEBHOOK_SECRET = secretBefore;
    await cleanup();
  });

  test(`${RUNS} generated requests: no 5xx but an unhandled invoke's 501, nothing internal in a body, no failed write, RSS bounded`, async () => {
    const statuses = new Map<number, number>();
    const answeredOk = new Map<string, number>();
    let requests = 0;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fuzzRequests(targets), async (r) => {
        const answer = await send(served.base, agent, r);
        requests += 1;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) answeredOk.set(r.kind, (answeredOk.get(r.kind) ?? 0) + 1);
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        const problem = problemWith(r, answer);
        if (problem) throw new Error(`${r.method} ${r.path.slice(0, 200)} (${r.kind}): ${problem}\nresponse: ${answer.body.slice(0, 500)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await served.attune.flush();
    const seconds = (Date.now() - started) / 1000;
    const growth = process.memoryUsage().rss - rssBefore;
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    process.stdout.write(
      `fuzz (${name} store): ${requests} requests in ${seconds.toFixed(1)} s, ${fivexx} answered 5xx (all 501 to invoke), ` +
        `statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(' ')}, ` +
        `RSS ${mb(rssBefore)} → ${mb(process.memoryUsage().rss)} (peak ${mb(rssPeak)}), non-loopback attempts ${guard.escapes.length}\n`,
    );
    expect(errors).toEqual([]);
    expect(guard.escapes).toEqual([]);
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT);
    // The generated turns got past auth and validation often enough to exercise a turn.
    expect(answeredOk.get('v1/turns') ?? 0).toBeGreaterThan(10);
  }, 180_000);

  // Prototype-named event names and product ids once made the store refuse some 30 writes a run.
  test('no write the app attempted during the run was refused by the store', () => {
    expect(failedWrites).toEqual([]);
  });

  test('afterwards, every user the requests were about still gets an answer from the bot and from the REST API', async () => {
    for (const user of FUZZ_USERS) {
      const conversation = `after-fuzz-${user}`;
      const activity = {
        type: 'message',
        id: `after-${user}`,
        serviceUrl: connector.url,
        channelId: 'emulator',
        from: { id: user, name: 'User' },
        recipient: { id: 'shop-bot' },
        conversation: { id: conversation },
        locale: 'en-US',
        text: 'I need running shoes',
      };
      const turn = await send(served.base, agent, { kind: 'activity', method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(activity)) });
      expect([user, turn.status]).toEqual([user, 200]);
      expect(connector.replies.get(conversation)).toBeGreaterThan(0);
      const recs = await send(served.base, agent, { kind: 'v1/users/recommendations', method: 'GET', path: `/v1/users/${encodeURIComponent(user)}/recommendations?k=3`, headers: { authorization: `Bearer ${KEYS.read[0]}` } });
      expect([user, recs.status]).toEqual([user, 200]);
      const body = Buffer.from(JSON.stringify({ userId: user, text: 'I need running shoes', reply: { text: 'Picks:', recommend: { k: 3 } } }));
      const t = await send(served.base, agent, { kind: 'v1/turns', method: 'POST', path: '/v1/turns', headers: { authorization: `Bearer ${KEYS.turns[0]}`, 'content-type': 'application/json' }, body });
      expect([user, t.status]).toEqual([user, 200]);
      expect(JSON.parse(t.body)).toMatchObject({ reply: { text: expect.any(String) } });
    }
    await served.attune.flush();
    expect(errors).toEqual([]);
  });
});
