import { type Clock, systemClock } from '../../src/core/clock';
import { ConfigError } from '../../src/core/errors';
import { sendError } from './errors';
import type { HttpMiddleware, HttpRequest, HttpResponse } from './types';

/** The per-key budget when neither an option nor `ATTUNE_RATE_LIMIT_PER_MINUTE` says otherwise. */
export const DEFAULT_RATE_PER_MINUTE = 600;

/** Options of {@link TokenBuckets}. */
export interface TokenBucketsOptions {
  /** Bucket size, and how many tokens flow back in per `windowMs`. */
  capacity: number;
  /** The refill period (default one minute). */
  windowMs?: number;
  /** Most buckets kept at once (default 10,000); beyond it the least recently used goes. */
  maxKeys?: number;
  clock?: Clock;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per key, refilled continuously, in bounded memory. A bucket that has
 * refilled is indistinguishable from a missing one, so idle buckets are dropped as they are
 * passed; past `maxKeys` the least recently used goes, which can only ever give its key a
 * fresh budget, never take one away.
 *
 * ```ts
 * const buckets = new TokenBuckets({ capacity: 600 });
 * if (buckets.take(keyId) > 0) reject();
 * ```
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly clock: Clock;

  constructor(options: TokenBucketsOptions) {
    if (!Number.isFinite(options.capacity) || options.capacity < 1) throw new ConfigError('a rate limit must allow at least 1 request per window');
    this.capacity = options.capacity;
    this.perMs = options.capacity / (options.windowMs ?? 60_000);
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.clock = options.clock ?? systemClock;
  }

  /** How many keys hold a bucket now (idle ones are dropped as they are passed). */
  get size(): number {
    return this.buckets.size;
  }

  /** Spends one token of `key`: 0 when there was one, else the ms until there is. */
  take(key: string): number {
    const b = this.refreshed(key, this.clock());
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return this.waitFor(b);
  }

  /** The ms until `key` has a token (0 now), spending nothing. */
  peek(key: string): number {
    if (!this.buckets.size) return 0;
    const now = this.clock();
    // Refilled buckets go as they are peeked too, so that a map that only ever had a few
    // failures empties again (the auth throttle skips all work while it is empty).
    this.dropIdle(now);
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(this.capacity, b.tokens + (now - b.at) * this.perMs);
    if (tokens >= this.capacity) this.buckets.delete(key);
    return tokens >= 1 ? 0 : this.waitFor({ tokens, at: b.at });
  }

  private waitFor(b: Bucket): number {
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs));
  }

  private refreshed(key: string, now: number): Bucket {
    const b = this.buckets.get(key);
    // Re-inserting keeps the map in least-recently-used order, oldest first.
    if (b) this.buckets.delete(key);
    const bucket = b ? { tokens: Math.min(this.capacity, b.tokens + (now - b.at) * this.perMs), at: now } : { tokens: this.capacity, at: now };
    this.dropIdle(now);
    while (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    this.buckets.set(key, bucket);
    return bucket;
  }

  // A few oldest per call keeps this O(1) and still drains idle buckets as traffic passes.
  private dropIdle(now: number): void {
    let checked = 0;
    for (const [key, b] of this.buckets) {
      if (checked++ >= 2 || b.tokens + (now - b.at) * this.perMs < this.capacity) return;
      this.buckets.delete(key);
    }
  }
}

/**
 * `ATTUNE_RATE_LIMIT_PER_MINUTE` as a number (default 600). Anything but a positive integer
 * is a start-up error, so a typo never turns the limit off.
 */
export function ratePerMinuteFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ATTUNE_RATE_LIMIT_PER_MINUTE;
  if (raw === undefined) return DEFAULT_RATE_PER_MINUTE;
  const n = Number(raw.trim());
  if (!raw.trim() || !Number.isInteger(n) || n < 1) throw new ConfigError(`ATTUNE_RATE_LIMIT_PER_MINUTE must be a positive integer (requests per key per minute), got "${raw}"`);
  return n;
}

/** Options of {@link rateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per key per minute (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`, else 600). */
  perMinute?: number;
  /** Most keys tracked at once (default 10,000). */
  maxKeys?: number;
  clock?: Clock;
}

/** A per-key request budget: one bucket of N requests a minute per key, whatever the route. */
export interface RateLimiter {
  /** Spends one request of `key`'s budget: 0 when allowed, else the ms to wait. */
  take(key: string): number;
  /** The configured requests per minute. */
  readonly perMinute: number;
}

/**
 * A {@link RateLimiter} of `perMinute` requests per key. Create one per edge and share it by
 * every route of that edge: a key's budget is its own and is the same across routes.
 *
 * ```ts
 * const limiter = rateLimiter({ perMinute: 600 });
 * app.post('/api/messages', limitByClient(limiter), handler);
 * ```
 */
export function rateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const perMinute = options.perMinute ?? ratePerMinuteFromEnv();
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new ConfigError(`the rate limit must be a positive integer of requests per minute, got ${perMinute}`);
  const buckets = new TokenBuckets({ capacity: perMinute, maxKeys: options.maxKeys, clock: options.clock });
  return { perMinute, take: (key) => buckets.take(key) };
}

/**
 * The address a request came from: the framework's `req.ip` where it has one (Express's
 * follows the app's `trust proxy` setting: set it behind a reverse proxy, or every client
 * shares the proxy's address), else the socket's peer.
 */
export function clientAddress(req: HttpRequest): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Answers 429 with Retry-After (whole seconds, at least 1). */
export function sendRateLimited(res: HttpResponse, waitMs: number, message: string): void {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  sendError(res, 429, 'rate_limited', message);
}

/**
 * Middleware: `limiter`'s budget per client address; over it → 429 with Retry-After.
 * For edges with their own authentication (Bot Framework's JWT) and no key to count by.
 */
export function limitByClient(limiter: RateLimiter): HttpMiddleware {
  return (req, res, next) => {
    const wait = limiter.take(clientAddress(req));
    if (wait > 0) return sendRateLimited(res, wait, 'too many requests from this address');
    next();
  };
}
