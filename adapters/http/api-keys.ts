import { hash, randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../../src/core/clock';
import { ConfigError } from '../../src/core/errors';
import { apiKeyId } from '../../src/privacy/audit';
import { AuthThrottle } from './auth-throttle';
import { headerOf } from './auth-schemes';
import { sendError, sendUnauthenticated } from './errors';
import { type RateLimiter, rateLimiter, sendRateLimited } from './rate-limit';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * What an API key may do. `admin` may do everything; the others only their own part:
 * `ingest` sends events (a tracker, a Segment destination), `read` reads profiles, segments
 * and recommendations (a dashboard, the bot's own code), `turns` runs `POST /v1/turns` (a
 * bot). A turn both writes (the user's message, the profile it changes) and reads (what it
 * answers is the user's personalization), so it is neither an ingest nor a read key's part:
 * a bot's key can do what a bot does and no more.
 */
export type Role = 'ingest' | 'read' | 'turns' | 'admin';

const ROLES: readonly Role[] = ['ingest', 'read', 'turns', 'admin'];

/** One configured key: its role and id (the key itself is not kept, only its digest, as the map's key). */
interface KeyEntry {
  role: Role;
  id: string;
}

/** The API keys the server accepts. */
export interface ApiKeys {
  /**
   * The role of a presented key, or undefined. Looks the key up by its SHA-256 digest: what a
   * lookup's timing could tell is about the digest, and a guesser cannot steer a digest
   * towards a key's, so it learns nothing of the key from it.
   */
  check(presented: string): { role: Role; id: string } | undefined;
  readonly size: number;
}

// One-shot: no Hash object per request for the collector to finalize (it cost more than the hashing).
// Base64 text, not a Buffer: it keys a Map, one hash lookup whatever the number of keys.
const digest = (key: string): string => hash('sha256', key, 'base64');

/**
 * Parses `ATTUNE_API_KEYS` (`key:role,key:role`). Keys shorter than 16 characters are refused:
 * a guessable key is no key.
 *
 * ```ts
 * const keys = parseApiKeys('s3cr3t-ingest-key-123:ingest,an0ther-admin-key-456:admin');
 * ```
 */
export function parseApiKeys(spec: string): ApiKeys {
  const entries = new Map<string, KeyEntry>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.lastIndexOf(':');
    const key = i > 0 ? part.slice(0, i) : '';
    const role = part.slice(i + 1) as Role;
    if (!key || !ROLES.includes(role)) throw new ConfigError(`ATTUNE_API_KEYS entries are key:role with role one of ${ROLES.join(', ')}`);
    if (key.length < 16) throw new ConfigError('ATTUNE_API_KEYS: every key must be at least 16 characters');
    // A key listed twice keeps its first role, as the comparison against each key did.
    const d = digest(key);
    if (!entries.has(d)) entries.set(d, Object.freeze({ role, id: apiKeyId(key) }));
  }
  if (!entries.size) throw new ConfigError('ATTUNE_API_KEYS holds no key');
  return {
    size: entries.size,
    // The entry itself, frozen: no object per request.
    check: (presented) => entries.get(digest(presented)),
  };
}

/** Fresh random keys, one per role, for a first start without ATTUNE_API_KEYS. */
export function generateApiKeys(): { spec: string; keys: Record<Role, string> } {
  const keys = Object.fromEntries(ROLES.map((r) => [r, `atn_${r}_${randomBytes(18).toString('base64url')}`])) as Record<Role, string>;
  return { keys, spec: ROLES.map((r) => `${keys[r]}:${r}`).join(',') };
}

/** Who made a request, once authenticated. */
export interface Caller {
  role: Role;
  /** Key id (a digest prefix), safe to log and audit. */
  keyId: string;
}

/**
 * Who made each request, beside the request rather than on it: a property added to node's
 * request object changes its shape on every request, which cost more than the key check.
 */
const callers = new WeakMap<HttpRequest, Caller>();

/** Reads the caller set by {@link ApiKeyAuth.requireRole}. */
export function callerOf(req: HttpRequest): Caller | undefined {
  return callers.get(req);
}

/**
 * The key a request presents: a Bearer token, Basic auth's username (how Segment's and
 * RudderStack's SDKs send their writeKey, with an empty password), `X-API-Key`, or a
 * `writeKey` in the JSON body (Segment's HTTP API allows it, for clients that cannot set
 * headers). The body is parsed before any route's auth runs.
 */
function presentedKey(req: HttpRequest): string | undefined {
  const auth = headerOf(req.headers, 'authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const basic = auth && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(0, colon) : decoded;
  }
  const header = headerOf(req.headers, 'x-api-key');
  if (header) return header;
  const body = req.body as { writeKey?: unknown } | undefined;
  return body && typeof body === 'object' && typeof body.writeKey === 'string' ? body.writeKey : undefined;
}

/** Options of {@link apiKeyAuth}. */
export interface AuthOptions {
  keys: ApiKeys;
  /** Requests per key per minute (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`, else 600); over it → 429. */
  ratePerMinute?: number;
  /** The per-key budget, when it is shared wider than this API (overrides `ratePerMinute`). */
  limiter?: RateLimiter;
  /** Throttle of clients that keep presenting wrong keys (default: 10 failures a minute). */
  authThrottle?: AuthThrottle;
  clock?: Clock;
}

/** API-key access control with one budget per key, shared by every route it guards. */
export interface ApiKeyAuth {
  /**
   * Middleware: the request must carry an API key (`Authorization: Bearer <key>`, Basic auth
   * with the key as username, `X-API-Key`, or a `writeKey` in the body) with `role` (or `admin`). A client that failed too often → 429 before its
   * key is looked at; no or unknown key → 401; wrong role → 403; over the key's budget → 429
   * with Retry-After.
   */
  requireRole(role: Role): HttpMiddleware;
}

/**
 * The access control of a REST API. Create it once per API: every `requireRole` it hands out
 * spends from the same bucket per key, so a key's N requests a minute are its own across
 * all routes and roles, and one key's traffic never spends another's.
 *
 * ```ts
 * const auth = apiKeyAuth({ keys: parseApiKeys(process.env.ATTUNE_API_KEYS!) });
 * router.post('/track', auth.requireRole('ingest'), handler);
 * ```
 */
export function apiKeyAuth(options: AuthOptions): ApiKeyAuth {
  const clock = options.clock ?? systemClock;
  const limiter = options.limiter ?? rateLimiter({ perMinute: options.ratePerMinute, clock });
  const throttle = options.authThrottle ?? new AuthThrottle({ clock });
  return {
    requireRole: (role) => (req, res, next) => {
      const blocked = throttle.retryAfter(req);
      if (blocked > 0) return sendRateLimited(res, blocked, 'too many failed authentication attempts from this address');
      const key = presentedKey(req);
      const found = key ? options.keys.check(key) : undefined;
      if (!found) {
        throttle.failed(req);
        return sendUnauthenticated(res, 'a valid API key is required (Authorization: Bearer <key>, Basic auth with the key as username, X-API-Key, or writeKey in the body)', 'Bearer realm="attune"');
      }
      if (found.role !== role && found.role !== 'admin') return sendError(res, 403, 'forbidden', `this key has role ${found.role}; ${role} is required`);
      const wait = limiter.take(found.id);
      if (wait > 0) return sendRateLimited(res, wait, 'too many requests for this API key');
      callers.set(req, { role: found.role, keyId: found.id });
      next();
    },
  };
}

/** The keys a server should use, and the generated ones when the environment had none. */
export interface ResolvedKeys {
  keys: ApiKeys;
  /** Set when keys were generated: print them once, and listen on loopback only. */
  generated?: Record<Role, string>;
}

/**
 * Keys from `ATTUNE_API_KEYS`, or fresh random ones when it is unset (a first local start:
 * the caller prints them once and binds to loopback, so nothing is open to the network).
 */
export function resolveApiKeys(env: NodeJS.ProcessEnv = process.env): ResolvedKeys {
  const spec = env.ATTUNE_API_KEYS;
  if (spec && spec.trim()) return { keys: parseApiKeys(spec) };
  const { spec: generatedSpec, keys } = generateApiKeys();
  return { keys: parseApiKeys(generatedSpec), generated: keys };
}

/** The lines to print once for generated keys. */
export function describeGeneratedKeys(keys: Record<Role, string>): string {
  return [
    'ATTUNE_API_KEYS is not set: generated API keys for this run (shown once; set ATTUNE_API_KEYS=key:role,… to choose your own):',
    ...ROLES.map((r) => `  ${r.padEnd(6)} ${keys[r]}`),
    'Generated keys keep the server on loopback: set ATTUNE_API_KEYS before setting HOST.',
  ].join('\n');
}
