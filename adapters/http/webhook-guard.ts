import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ConfigError } from '../../src/core/errors';
import type { AuthThrottle } from './auth-throttle';
import { isLoopback } from './bind';
import { sendError } from './errors';
import { clientAddress, type RateLimiter, sendRateLimited } from './rate-limit';

/**
 * Compares a presented secret with the expected one in constant time. Hashing first makes it
 * constant-time in the secret's length as well; an absent secret never matches.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256').update(given ?? '').digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}

/** Throws a ConfigError unless `value` is a non-empty secret: an empty one would open the door. */
export function requireSecret(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new ConfigError(`${what} is empty: give it a value, or leave the whole credential out`);
  return value;
}

/** Options of {@link webhookGuard}. */
export interface WebhookGuardOptions {
  /** The webhook's name in messages, e.g. `Dialogflow webhook`. */
  name: string;
  /**
   * `'open'`: no credentials, loopback clients only (local development); or a check of the
   * request's credentials, which must run in constant time.
   */
  auth: 'open' | ((req: Request) => boolean);
  /** Budget per client address for every call, authenticated or not. */
  limiter: RateLimiter;
  /** Throttles clients whose authentication keeps failing. */
  throttle: AuthThrottle;
  /** `WWW-Authenticate` sent with a 401, when the scheme has one (basic auth). */
  challenge?: string;
}

/**
 * Express middleware in front of a webhook, in this order: a client that failed to
 * authenticate too often → 429 without its credential being looked at; over its rate → 429;
 * missing or wrong credentials → 401. In open mode a client from beyond loopback → 403, so
 * open mode never serves the network even when the server was bound wider by hand.
 */
export function webhookGuard(options: WebhookGuardOptions): RequestHandler {
  const { auth, limiter, throttle } = options;
  return (req, res, next) => {
    const blocked = throttle.retryAfter(req);
    if (blocked > 0) return sendRateLimited(res, blocked, 'too many failed authentication attempts from this address');
    const wait = limiter.take(clientAddress(req));
    if (wait > 0) return sendRateLimited(res, wait, 'too many requests from this address');
    if (auth === 'open') {
      if (isLoopback(clientAddress(req))) return next();
      return sendError(res, 403, 'forbidden', `the ${options.name} runs without credentials, for loopback clients only`);
    }
    if (auth(req)) return next();
    throttle.failed(req);
    if (options.challenge) res.setHeader('WWW-Authenticate', options.challenge);
    sendError(res, 401, 'unauthenticated', `missing or wrong ${options.name} credentials`);
  };
}

/**
 * `ATTUNE_WEBHOOK_OPEN`: `1`/`true` lets a webhook that has no credentials configured run
 * open (loopback clients only); unset, `0` or `false` keeps it closed. Anything else is a
 * ConfigError rather than a guess.
 */
export function webhookOpenFromEnv(env: Record<string, string | undefined>): boolean {
  const raw = env.ATTUNE_WEBHOOK_OPEN?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`ATTUNE_WEBHOOK_OPEN must be 1 or 0, got "${env.ATTUNE_WEBHOOK_OPEN}"`);
}
