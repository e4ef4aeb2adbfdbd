import type { Clock } from '../../src/core/clock';
import { clientAddress, TokenBuckets } from './rate-limit';
import type { HttpRequest } from './types';

/** Options of {@link AuthThrottle}. */
export interface AuthThrottleOptions {
  /** Failed attempts a client may make per window before it must wait (default 10). */
  maxFailures?: number;
  /** The window, in ms (default one minute): failures are forgiven at maxFailures per window. */
  windowMs?: number;
  /** Most clients tracked at once (default 10,000). */
  maxKeys?: number;
  clock?: Clock;
}

/**
 * Slows down credential guessing: each failed authentication costs the client (by address)
 * one of `maxFailures` tokens that flow back over `windowMs`. A client without a token is
 * answered 429 before its credential is even looked at, so the checks stay constant-time and
 * a guesser gets `maxFailures` tries a window, not thousands a second.
 *
 * ```ts
 * const throttle = new AuthThrottle();
 * const wait = throttle.retryAfter(req);        // > 0: answer 429 now
 * if (!valid) throttle.failed(req);             // then 401
 * ```
 */
export class AuthThrottle {
  private readonly failures: TokenBuckets;

  constructor(options: AuthThrottleOptions = {}) {
    this.failures = new TokenBuckets({ capacity: options.maxFailures ?? 10, windowMs: options.windowMs ?? 60_000, maxKeys: options.maxKeys, clock: options.clock });
  }

  /** The ms this request's client must wait before it may try to authenticate again (0: go ahead). */
  retryAfter(req: HttpRequest): number {
    // No client has failed (the usual case): nobody waits, and the address, which Express
    // derives per request from the proxy headers, need not be worked out at all.
    if (this.failures.size === 0) return 0;
    return this.failures.peek(clientAddress(req));
  }

  /** Records a failed authentication of this request's client. */
  failed(req: HttpRequest): void {
    this.failures.take(clientAddress(req));
  }
}
