import { ConfigError } from '../../src/core/errors';
import type { AuthThrottle } from './auth-throttle';
import { isLoopback } from './bind';
import { sendError, sendUnauthenticated } from './errors';
import { clientAddress, type RateLimiter, sendRateLimited } from './rate-limit';
import type { CredentialCheck, HttpMiddleware, HttpRequest } from './types';

/** Options of {@link webhookGuard}. */
export interface WebhookGuardOptions {
  /** The webhook's name in messages, e.g. `Dialogflow webhook`. */
  name: string;
  /**
   * `'open'`: no credentials, loopback clients only (local development); or a check of the
   * request's credentials, which must run in constant time.
   */
  auth: 'open' | CredentialCheck;
  /** Budget per client address for every call, authenticated or not. */
  limiter: RateLimiter;
  /** Throttles clients whose authentication keeps failing. */
  throttle: AuthThrottle;
  /** `WWW-Authenticate` sent with a 401, when the scheme has one (basic auth). */
  challenge?: string;
}

/**
 * Middleware in front of a webhook, in this order: a client that failed to
 * authenticate too often → 429 without its credential being looked at; over its rate → 429;
 * missing or wrong credentials → 401. In open mode a client from beyond loopback, or any call
 * a proxy forwarded, → 403, so open mode never serves the network even when the server was
 * bound wider by hand or put behind a proxy.
 */
export function webhookGuard(options: WebhookGuardOptions): HttpMiddleware {
  const { auth, limiter, throttle } = options;
  return (req, res, next) => {
    const blocked = throttle.retryAfter(req);
    if (blocked > 0) return sendRateLimited(res, blocked, 'too many failed authentication attempts from this address');
    const wait = limiter.take(clientAddress(req));
    if (wait > 0) return sendRateLimited(res, wait, 'too many requests from this address');
    if (auth === 'open') {
      // A proxied call is refused whatever address it shows: behind a proxy on this machine
      // that is not trusted (ATTUNE_TRUST_PROXY), every caller from anywhere has loopback's.
      if (isLoopback(clientAddress(req)) && !forwarded(req)) return next();
      return sendError(res, 403, 'forbidden', `the ${options.name} runs without credentials, for direct calls from loopback only`);
    }
    if (auth(req)) return next();
    throttle.failed(req);
    sendUnauthenticated(res, `missing or wrong ${options.name} credentials`, options.challenge);
  };
}

/** Whether a proxy forwarded the request (it says so in `Forwarded` or `X-Forwarded-For`). */
function forwarded(req: HttpRequest): boolean {
  return req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined;
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
