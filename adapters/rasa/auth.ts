import { ConfigError } from '../../src/core/errors';
import type { Attune } from '../../src/engine/attune';
import { queryToken, requireSecret } from '../http/auth-schemes';
import { AuthThrottle } from '../http/auth-throttle';
import { limitByClient, type RateLimiter, rateLimiter } from '../http/rate-limit';
import type { CredentialCheck, HttpMiddleware } from '../http/types';
import { webhookGuard, webhookOpenFromEnv } from '../http/webhook-guard';

/**
 * How Rasa authenticates to the action server: the `token` of `action_endpoint` in Rasa's
 * `endpoints.yml`, which Rasa sends as the query parameter `token_name` (default `token`);
 * or `'open'` (no token, loopback clients only, for local development).
 */
export type RasaAuth = { token: string; tokenName?: string } | 'open';

/** The token check for `auth`, after refusing an empty token or name (a ConfigError). */
export function rasaTokenCheck(auth: { token: string; tokenName?: string }): CredentialCheck {
  // A repeated parameter has no single value to compare, so it fails like a wrong one.
  return queryToken({ token: requireSecret(auth.token, 'the Rasa action-server token'), name: requireSecret(auth.tokenName ?? 'token', 'the Rasa token parameter name') });
}

/**
 * The action server's auth from the environment: `ATTUNE_RASA_TOKEN` (the `action_endpoint`
 * token of endpoints.yml); without it `'open'` when `ATTUNE_WEBHOOK_OPEN=1`, else undefined
 * (`/webhook` then refuses every call). A token that is set but empty is a ConfigError.
 *
 * ```ts
 * app.use('/rasa', rasaActionServer(attune, { auth: rasaAuthFromEnv(process.env) }));
 * ```
 */
export function rasaAuthFromEnv(env: Record<string, string | undefined>): RasaAuth | undefined {
  if (env.ATTUNE_RASA_TOKEN !== undefined) {
    if (!env.ATTUNE_RASA_TOKEN.trim()) throw new ConfigError('ATTUNE_RASA_TOKEN is empty: set it to the action_endpoint token of Rasa\'s endpoints.yml, or unset it');
    return { token: env.ATTUNE_RASA_TOKEN };
  }
  return webhookOpenFromEnv(env) ? 'open' : undefined;
}

/** What guards the action server's routes. */
export interface RasaGuards {
  /** `/webhook`: throttle, rate limit and token (or open mode). */
  webhook: HttpMiddleware;
  /** `/health`, `/actions`: no user data, so the rate limit alone. */
  limit: HttpMiddleware;
}

/**
 * The guards of {@link rasaActionServer}'s routes; one budget per client address shared by
 * all of them. No `auth` → `/webhook` refuses every call (a warning says so once).
 */
export function rasaGuards(attune: Attune, options: { auth?: RasaAuth; limiter?: RateLimiter; authThrottle?: AuthThrottle }): RasaGuards {
  const { auth } = options;
  if (auth !== undefined && auth !== 'open' && (typeof auth !== 'object' || auth === null)) throw new ConfigError('rasaActionServer: auth must be { token } or \'open\'');
  const check = auth === undefined || auth === 'open' ? undefined : rasaTokenCheck(auth);
  if (auth === undefined) attune.logger.warn('attune/rasa: no action-server token configured, so every /webhook call is refused (401); pass auth: { token } (see rasaAuthFromEnv) or auth: \'open\' for local development');
  const limiter = options.limiter ?? rateLimiter({ clock: attune.clock });
  const webhook = webhookGuard({
    name: 'Rasa action server',
    auth: auth === 'open' ? 'open' : (req) => check !== undefined && check(req),
    limiter,
    throttle: options.authThrottle ?? new AuthThrottle({ clock: attune.clock }),
  });
  return { webhook, limit: limitByClient(limiter) };
}
