import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * Generated HTTP requests for the shop app's every endpoint: valid payloads of each kind
 * (Bot Framework activity, Segment events and batches, `/v1/turns` bodies, Dialogflow ES/CX
 * and Rasa webhook calls) with a few fields replaced by something odd (deep nesting, huge strings, prototype
 * keys, wrong types), plus malformed JSON, wrong content types and encodings, odd paths and
 * methods, with and without valid credentials.
 */

/** One request to send. */
export interface FuzzRequest {
  /** What kind of request this is, for the report (`activity`, `v1/track`, `raw`, …). */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What the generated requests aim at: the credentials and addresses of the app under test. */
export interface FuzzTargets {
  /** The fake Bot Framework connector the bot's replies go to (loopback). */
  connectorUrl: string;
  /** A connector address that answers every reply with an error (loopback). */
  brokenConnectorUrl: string;
  /** Valid REST API keys by role; a request uses one of them, a wrong one, or none. */
  keys: { ingest: string[]; read: string[]; turns: string[]; admin: string[] };
  /** Headers that authenticate a Dialogflow webhook call (empty when the webhook is open). */
  dialogflowHeaders: Record<string, string>;
  /** Headers that authenticate a Rasa action call (empty when the action server is open). */
  rasaHeaders: Record<string, string>;
}

/** JSON text spliced in as is: nesting or sizes a JS value would make slow to build or serialize. */
class Raw {
  constructor(readonly text: string) {}
}

type Json = null | boolean | number | string | Raw | Json[] | { [key: string]: Json };

/** Serializes a value with its own keys (an own `__proto__` key stays a key) and Raw splices. */
function toJson(v: Json): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Sets an own property, even `__proto__`, without touching the prototype. */
function setOwn(o: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Keys that corrupt a plain object or a counter map when used carelessly. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'toJSON'];

const protoKey = fc.constantFrom(...PROTO_KEYS);

const deep = fc
  .tuple(fc.integer({ min: 64, max: 60_000 }), fc.constantFrom('array', 'object'))
  .map(([depth, shape]) => new Raw(shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const huge = fc.tuple(fc.integer({ min: 513, max: 300_000 }), fc.constantFrom('x', 'é', '😀', '\\u0000', ' ')).map(([n, ch]) => new Raw(`"${ch.repeat(n)}"`));

const wide = fc.integer({ min: 1000, max: 10_000 }).map((n) => new Raw(`{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`));

const protoObject: fc.Arbitrary<Json> = fc.array(fc.tuple(protoKey, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>), { minLength: 1, maxLength: 3 }).map((pairs) => {
  const o: Record<string, Json> = {};
  for (const [k, v] of pairs) setOwn(o, k, v);
  return o;
});

const oddScalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -1e308, 0.5, '', ' ', '\u0000', '\ud800', 'NaN', 'Infinity', '1e999', 'null', 'true', '[]', '{}', [], {}, [null], [[]], ...PROTO_KEYS),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.integer(),
  fc.double({ noNaN: true }),
);

/** Something odd to put where a field was. */
export const oddValue: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: oddScalar, weight: 6 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 3 },
  { arbitrary: protoObject, weight: 3 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: wide, weight: 1 },
);

/** Every path into `v` (objects and arrays), the root first. */
function pathsOf(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object' && !(v instanceof Raw)) for (const k of Object.keys(v)) pathsOf(v[k], [...at, k], out);
  return out;
}

function clone(v: Json): Json {
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object' && !(v instanceof Raw)) {
    const o: Record<string, Json> = {};
    for (const k of Object.keys(v)) setOwn(o, k, clone(v[k]));
    return o;
  }
  return v;
}

/** One change to a template: replace what is at a path, delete it, or add a key beside it. */
interface Mutation {
  at: number;
  op: 'set' | 'delete' | 'add';
  key: string;
  value: Json;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('set', 'set', 'delete', 'add'),
  key: fc.oneof(protoKey, fc.string({ maxLength: 12 })),
  value: oddValue,
});

function mutate(template: Json, mutations: Mutation[]): Json {
  let root = clone(template);
  for (const m of mutations) {
    const paths = pathsOf(root);
    const path = paths[m.at % paths.length];
    if (!path.length) {
      if (m.op === 'set') root = m.value;
      else if (m.op === 'add' && root !== null && typeof root === 'object' && !Array.isArray(root) && !(root instanceof Raw)) setOwn(root, m.key, m.value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string, Json>)[k], root);
    const last = path[path.length - 1];
    if (Array.isArray(parent)) {
      const i = last as number;
      if (m.op === 'delete') parent.splice(i, 1);
      else if (m.op === 'add') parent.push(m.value);
      else parent[i] = m.value;
    } else if (parent !== null && typeof parent === 'object' && !(parent instanceof Raw)) {
      const o = parent;
      if (m.op === 'delete') delete o[last as string];
      else if (m.op === 'add') setOwn(o, m.key, m.value);
      else setOwn(o, last as string, m.value);
    }
  }
  return root;
}

const mutated = (template: fc.Arbitrary<Json>, max = 3) => fc.tuple(template, fc.array(mutation, { maxLength: max })).map(([t, ms]) => mutate(t, ms));

// --- Valid payloads of each kind -------------------------------------------------------

/** The users most requests are about, so that later requests meet what earlier ones left behind. */
export const FUZZ_USERS = ['fuzz-u1', 'fuzz-u2', 'fuzz-u3', 'fuzz-ü', '42'];

const userIds = fc.oneof({ arbitrary: fc.constantFrom(...FUZZ_USERS), weight: 3 }, { arbitrary: fc.stringMatching(/^[a-z0-9-]{1,16}$/), weight: 1 });
const productIds = fc.constantFrom('run-0001', 'run-0002', 'hike-0001', 'yoga-0001', 'unknown-9', '__proto__', 'constructor');
const categories = fc.constantFrom('running', 'hiking', 'yoga', 'camping', 'toString', '__proto__');
const eventNames = fc.constantFrom('Product Viewed', 'Product Added', 'Order Completed', 'Products Searched', 'Signed Up', 'constructor', '__proto__', 'toString', 'hasOwnProperty');

const segmentEvent = (type: 'track' | 'identify' | 'page' | 'screen'): fc.Arbitrary<Json> =>
  fc.record({ userId: userIds, productId: productIds, category: categories, event: eventNames, n: fc.nat(1_000_000) }).map(({ userId, productId, category, event, n }) => {
    const e: Record<string, Json> = {
      type,
      userId,
      messageId: `fuzz-${type}-${n}`,
      timestamp: '2024-06-01T12:00:00Z',
      context: { locale: 'en-US', channel: 'web', traits: { plan: 'pro' } },
    };
    if (type === 'track') {
      e.event = event;
      e.properties = { product_id: productId, category, price: 12.5, quantity: 1, products: [{ product_id: productId, category, price: 3 }] };
    } else if (type === 'identify') {
      e.traits = { name: 'Fuzz', tone: 'concise', consent: { analytics: true } };
    } else {
      e.name = 'Home';
      e.properties = { path: '/', category };
    }
    return e;
  });

const activity = (connectorUrl: string, brokenUrl: string): fc.Arbitrary<Json> =>
  fc
    .record({
      type: fc.constantFrom('message', 'message', 'message', 'conversationUpdate', 'messageReaction', 'event', 'invoke', 'typing', 'endOfConversation'),
      userId: userIds,
      text: fc.oneof(fc.constantFrom('hi', 'I need running shoes', 'what would you recommend?', 'buy Trail Runner', 'help', ''), fc.string({ maxLength: 40 })),
      serviceUrl: fc.constantFrom(connectorUrl, connectorUrl, connectorUrl, connectorUrl, brokenUrl, 'not a url', ''),
      n: fc.nat(1_000_000),
    })
    .map(({ type, userId, text, serviceUrl, n }): Json => ({
      type,
      id: `fuzz-act-${n}`,
      timestamp: '2024-06-01T12:00:00.000Z',
      localTimezone: 'Europe/London',
      serviceUrl,
      channelId: 'emulator',
      from: { id: userId, name: 'User', role: 'user' },
      conversation: { id: `conv-${userId}` },
      recipient: { id: 'shop-bot', name: 'Bot', role: 'bot' },
      locale: 'en-US',
      text,
      membersAdded: [{ id: userId }],
      reactionsAdded: [{ type: 'like' }],
      replyToId: 'reply-1',
      value: { attune: 'view', itemId: 'run-0001' },
      name: 'fuzz',
      entities: [{ type: 'ClientCapabilities', requiresBotState: true }, { type: 'clientInfo', locale: 'en-GB', country: 'GB', timezone: 'Europe/London' }],
      channelData: { clientActivityID: `client-${n}` },
    }));

/** A `/v1/turns` body as an HTTP bot sends it: the user's message, its context, the bot's draft reply. */
const turnRequest: fc.Arbitrary<Json> = fc
  .record({
    userId: userIds,
    category: categories,
    text: fc.oneof(fc.constantFrom('hi', 'I need running shoes', 'a tent for camping', 'what would you recommend?', ''), fc.string({ maxLength: 40 })),
    draft: fc.oneof(fc.constant<Json>('Here you go.'), fc.record({ text: fc.constantFrom('Picks:', 'Try these.'), recommend: fc.oneof(fc.constant<Json>(true), fc.record({ k: fc.integer({ min: 1, max: 5 }), style: fc.constantFrom('suggestions', 'carousel') })) })),
    n: fc.nat(1_000_000),
  })
  .map(({ userId, category, text, draft, n }): Json => ({
    userId,
    sessionId: `web-${userId}`,
    messageId: `fuzz-turn-${n}`,
    channel: 'web',
    text,
    kind: 'message',
    locale: 'en-US',
    timezone: 'Europe/London',
    device: 'mobile',
    country: 'GB',
    intent: 'browse',
    entities: { category, size: 42, tags: ['a', 'b'] },
    reply: draft,
    timestamp: '2024-06-01T12:00:00Z',
  }));

const esSessionOf = (s: string) => `projects/fuzz/agent/sessions/${s}`;
const esRequest: fc.Arbitrary<Json> = fc.record({ s: fc.stringMatching(/^[a-z0-9]{1,12}$/), text: fc.string({ maxLength: 30 }), n: fc.nat() }).map(({ s, text, n }): Json => ({
  responseId: `fuzz-es-${n}`,
  session: esSessionOf(s),
  queryResult: {
    queryText: text,
    languageCode: 'en',
    parameters: { category: 'running', size: 42 },
    fulfillmentText: 'Sure.',
    fulfillmentMessages: [{ text: { text: ['Sure.'] } }, { payload: { richContent: [] } }],
    outputContexts: [{ name: `${esSessionOf(s)}/contexts/shopping`, lifespanCount: 2, parameters: { category: 'running' } }],
    intent: { name: 'projects/fuzz/agent/intents/1', displayName: 'browse.products' },
    intentDetectionConfidence: 0.9,
  },
  originalDetectIntentRequest: { source: 'telegram', payload: { data: { from: { id: 7 } } } },
}));

const cxSessionOf = (s: string) => `projects/fuzz/locations/global/agents/a1/sessions/${s}`;
const cxRequest: fc.Arbitrary<Json> = fc.record({ s: fc.stringMatching(/^[a-z0-9]{1,12}$/), text: fc.string({ maxLength: 30 }), n: fc.nat() }).map(({ s, text, n }): Json => ({
  detectIntentResponseId: `fuzz-cx-${n}`,
  text,
  languageCode: 'en',
  fulfillmentInfo: { tag: 'recommend' },
  intentInfo: { lastMatchedIntent: 'i1', displayName: 'browse', parameters: { category: { originalValue: 'running', resolvedValue: 'running' } }, confidence: 0.8 },
  pageInfo: { currentPage: 'p1', displayName: 'Shop', formInfo: { parameterInfo: [{ displayName: 'size', required: true, state: 'FILLED', value: 42 }] } },
  sessionInfo: { session: cxSessionOf(s), parameters: { category: 'running' } },
  messages: [{ text: { text: ['Here you go.'] } }],
  payload: { telephony: { caller_id: '+15550100' } },
}));

const rasaCall: fc.Arbitrary<Json> = fc
  .record({ sender: userIds, action: fc.constantFrom('action_attune_recommend', 'action_attune_personalize', 'action_unknown'), text: fc.string({ maxLength: 30 }), t: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }) })
  .map(({ sender, action, text, t }): Json => ({
    next_action: action,
    sender_id: sender,
    version: '3.6.0',
    domain: { intents: ['greet'], slots: {}, responses: {} },
    tracker: {
      sender_id: sender,
      slots: { shoe_size: null },
      latest_message: { text, intent: { name: 'ask_product', confidence: 0.9 }, entities: [{ entity: 'category', value: 'running' }], message_id: `m-${t}` },
      latest_event_time: t,
      events: [
        { event: 'action', timestamp: t - 2, name: 'action_listen' },
        { event: 'user', timestamp: t - 1, text, parse_data: { text, intent: { name: 'ask_product', confidence: 0.9 }, entities: [{ entity: 'category', value: 'running' }] }, input_channel: 'rest', message_id: `m-${t}` },
        { event: 'bot', timestamp: t, text: 'Hello', data: {}, metadata: {} },
      ],
      latest_input_channel: 'rest',
      active_loop: {},
      latest_action_name: 'action_listen',
    },
  }));

// --- Requests --------------------------------------------------------------------------

const oddIds = fc.oneof(
  userIds,
  protoKey,
  fc.integer({ min: 513, max: 4000 }).map((n) => 'i'.repeat(n)),
  fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2e%2e', 'a%2Fb', '%F0%9F%98%80', '%ZZ', '%20'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

const oddQuery = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?k=3', '?k=abc', '?k=1e9', '?k=-1', '?k=3&k=4', '?k[]=1', '?k[x]=1', '?locale=de-DE&channel=msteams', '?locale[]=x', '?__proto__[k]=1', '?constructor=1', '?%=1', `?locale=${'l'.repeat(200)}`),
);

type Role = keyof FuzzTargets['keys'];

function keyHeaders(t: FuzzTargets, role: Role): fc.Arbitrary<Record<string, string>> {
  const valid = t.keys[role];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid).map((k) => ({ authorization: `Bearer ${k}` })), weight: 5 },
    { arbitrary: fc.constantFrom(...valid).map((k) => ({ 'x-api-key': k })), weight: 2 },
    { arbitrary: fc.constantFrom(...t.keys.ingest, ...t.keys.read, ...t.keys.turns, ...t.keys.admin).map((k) => ({ authorization: `Bearer ${k}` })), weight: 1 },
    {
      arbitrary: fc.constantFrom<Record<string, string>>(
        {},
        { authorization: 'Bearer' },
        { authorization: 'Bearer not-a-real-key-at-all' },
        { authorization: 'Basic Zm9vOmJhcg==' },
        { authorization: `Bearer ${'k'.repeat(4000)}` },
        { 'x-api-key': '' },
        { authorization: 'Bearer __proto__' },
      ),
      weight: 2,
    },
  );
}

/** A Bot Framework `Authorization` header: none (the Emulator), garbage, or a crafted JWT. */
const botAuthHeader: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 6 },
  {
    arbitrary: fc.constantFrom<Record<string, string>>(
      { authorization: 'Bearer garbage' },
      { authorization: 'garbage' },
      { authorization: 'Bearer a.b.c' },
      { authorization: `Bearer ${b64({ alg: 'none' })}.${b64({ iss: 'https://evil.example' })}.` },
    ),
    weight: 1,
  },
);

function b64(o: object): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

const JSON_TYPES = ['application/json', 'application/json', 'application/json', 'application/json; charset=utf-8'];

/** How a body is put on the wire: usually plain JSON, sometimes with an odd type or encoding. */
const encoding = fc.oneof(
  { arbitrary: fc.constant({ type: 'application/json' as string | undefined, encoding: undefined as string | undefined, gzip: false }), weight: 12 },
  {
    arbitrary: fc.record({
      type: fc.constantFrom<string | undefined>(...JSON_TYPES, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=koi8-r', 'application/json; charset=bogus', 'application/json; charset=utf-16le', 'application/vnd.api+json', 'application/*', '*/*', undefined),
      encoding: fc.constantFrom<string | undefined>(undefined, 'gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip'),
      gzip: fc.boolean(),
    }),
    weight: 2,
  },
);

const malformed = fc.oneof(
  fc.constantFrom('{', '}', '{"a":}', '{"a":1,}', '[1,2', 'nul', 'undefined', "{'a':1}", '\ufeff{"type":"message"}', '{"a":"\\ud800"}', '{"a":1}{"b":2}', '"just a string"', '42', 'null', 'true', '[]', '{"__proto__":{"polluted":1}}', ''),
  fc.string({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
);

function withBody(kind: string, method: string, path: string, headers: fc.Arbitrary<Record<string, string>>, body: fc.Arbitrary<Json>): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(headers, fc.oneof({ arbitrary: body.map((b) => toJson(b)), weight: 9 }, { arbitrary: malformed, weight: 1 }), encoding)
    .map(([h, text, enc]) => {
      const raw = Buffer.from(text, 'utf8');
      const headersOut: Record<string, string> = { ...h };
      if (enc.type !== undefined) headersOut['content-type'] = enc.type;
      if (enc.encoding !== undefined) headersOut['content-encoding'] = enc.encoding;
      return { kind, method, path, headers: headersOut, body: enc.gzip && enc.encoding === 'gzip' ? gzipSync(raw) : raw };
    });
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

/** Every request the fuzz test sends, weighted towards the endpoints with the most logic. */
export function fuzzRequests(t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const df = fc.constant(t.dialogflowHeaders);
  const rasa = fc.constant(t.rasaHeaders);
  const segment = (type: 'track' | 'identify' | 'page' | 'screen') => withBody(`v1/${type}`, 'POST', `/v1/${type}`, keyHeaders(t, 'ingest'), mutated(segmentEvent(type)));
  const batch = withBody(
    'v1/batch',
    'POST',
    '/v1/batch',
    keyHeaders(t, 'ingest'),
    mutated(fc.array(fc.oneof(segmentEvent('track'), segmentEvent('identify'), segmentEvent('page')), { minLength: 1, maxLength: 5 }).map((batch) => ({ batch, context: { locale: 'en-US' } }))),
  );
  const userRead = fc
    .tuple(oddIds, fc.constantFrom('profile', 'segments', 'recommendations', 'export'), oddQuery, keyHeaders(t, 'read'), keyHeaders(t, 'admin'))
    .map(([id, what, q, read, admin]): FuzzRequest => ({ kind: `v1/users/${what}`, method: 'GET', path: `/v1/users/${id}/${what}${q}`, headers: what === 'export' ? admin : read }));
  const consent = fc
    .tuple(oddIds, keyHeaders(t, 'admin'), mutated(fc.constant<Json>({ personalization: true, analytics: false })))
    .map(([id, h, body]): FuzzRequest => ({ kind: 'v1/consent', method: 'PUT', path: `/v1/users/${id}/consent`, headers: { ...h, 'content-type': 'application/json' }, body: Buffer.from(toJson(body)) }));
  const erase = fc.tuple(oddIds, keyHeaders(t, 'admin')).map(([id, h]): FuzzRequest => ({ kind: 'v1/erase', method: 'DELETE', path: `/v1/users/${id}`, headers: h }));
  const turns = withBody('v1/turns', 'POST', '/v1/turns', keyHeaders(t, 'turns'), mutated(turnRequest));
  const bot = withBody('activity', 'POST', '/api/messages', botAuthHeader, mutated(activity(t.connectorUrl, t.brokenConnectorUrl)));
  const es = withBody('dialogflow/es', 'POST', '/dialogflow', df, mutated(esRequest));
  const cx = withBody('dialogflow/cx', 'POST', '/dialogflow', df, mutated(cxRequest));
  const rasaWebhook = withBody('rasa/webhook', 'POST', '/rasa/webhook', rasa, mutated(rasaCall, 2));
  const small = fc.constantFrom<FuzzRequest>(
    { kind: 'healthz', method: 'GET', path: '/healthz', headers: {} },
    { kind: 'rasa/health', method: 'GET', path: '/rasa/health', headers: t.rasaHeaders },
    { kind: 'rasa/actions', method: 'GET', path: '/rasa/actions', headers: t.rasaHeaders },
  );
  const raw = fc
    .tuple(
      fc.constantFrom(...METHODS),
      fc.constantFrom('/api/messages', '/v1/track', '/v1/batch', '/v1/turns', '/v1/identify', '/v1/users/u/profile', '/v1/users/u', '/dialogflow', '/rasa/webhook', '/rasa/health', '/healthz', '/', '/v1', '/v1/', '//v1//track', '/v1/track/', '/V1/TRACK', '/v1/%', '/v1/users/%E0%A4%A/profile', '/rasa/%', '/api/messages/..', '/__proto__', '/v1/constructor', '/healthz?x=%'),
      fc.oneof(keyHeaders(t, 'admin'), fc.constant(t.dialogflowHeaders)),
      fc.option(fc.oneof(malformed, oddValue.map(toJson)), { nil: undefined }),
      encoding,
    )
    .map(([method, path, h, text, enc]): FuzzRequest => {
      const headers: Record<string, string> = { ...h };
      if (enc.type !== undefined) headers['content-type'] = enc.type;
      if (enc.encoding !== undefined) headers['content-encoding'] = enc.encoding;
      return { kind: 'raw', method, path, headers, body: text === undefined || method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(text) };
    });
  return fc.oneof(
    { arbitrary: bot, weight: 6 },
    { arbitrary: segment('track'), weight: 3 },
    { arbitrary: segment('identify'), weight: 2 },
    { arbitrary: segment('page'), weight: 1 },
    { arbitrary: segment('screen'), weight: 1 },
    { arbitrary: batch, weight: 2 },
    { arbitrary: turns, weight: 3 },
    { arbitrary: userRead, weight: 3 },
    { arbitrary: consent, weight: 1 },
    { arbitrary: erase, weight: 1 },
    { arbitrary: es, weight: 3 },
    { arbitrary: cx, weight: 3 },
    { arbitrary: rasaWebhook, weight: 4 },
    { arbitrary: small, weight: 1 },
    { arbitrary: raw, weight: 3 },
  );
}
