import { ConfigError } from '../../src/core/errors';
import { allOf, basicAuth, headerSecrets, requireSecret } from '../http/auth-schemes';
import type { CredentialCheck } from '../http/types';
import { webhookOpenFromEnv } from '../http/webhook-guard';

/**
 * What the Dialogflow console lets a webhook require: HTTP basic auth (ES "Basic auth", CX
 * "Authentication: username/password") and/or fixed request headers (ES "Headers", CX
 * "Webhook headers"). At least one; every part must have a value.
 */
export interface WebhookAuth {
  basic?: { username: string; password: string };
  /** Header name → the exact value Dialogflow is configured to send. */
  headers?: Record<string, string>;
}

/**
 * How a Dialogflow webhook authenticates: credentials, or `'open'` (none, loopback clients
 * only, for local development).
 */
export type DialogflowAuth = WebhookAuth | 'open';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks that `auth` asks for something and that nothing in it is empty; a ConfigError
 * otherwise, because a half-configured credential must stop the start, not open the webhook.
 */
export function validateWebhookAuth(auth: WebhookAuth): WebhookAuth {
  if (auth.basic) {
    requireSecret(auth.basic.username, 'the Dialogflow basic-auth username');
    requireSecret(auth.basic.password, 'the Dialogflow basic-auth password');
    if (auth.basic.username.includes(':')) throw new ConfigError('the Dialogflow basic-auth username must not contain ":"');
  }
  for (const [name, value] of Object.entries(auth.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new ConfigError(`the Dialogflow webhook header name "${name}" is not a valid HTTP header name`);
    requireSecret(value, `the Dialogflow webhook header ${name}`);
  }
  if (!auth.basic && !Object.keys(auth.headers ?? {}).length) throw new ConfigError('the Dialogflow webhook auth names no credential: give basic and/or headers, or use auth: \'open\' for local development');
  return auth;
}

/** The check of every credential `auth` asks for (basic auth, header secrets); each always runs. */
export function webhookCredentials(auth: WebhookAuth): CredentialCheck {
  const checks: CredentialCheck[] = [];
  if (auth.basic) checks.push(basicAuth(auth.basic));
  if (auth.headers) checks.push(headerSecrets(auth.headers));
  return allOf(checks);
}

/**
 * Webhook credentials from the environment, for apps configured by deployment:
 * `DIALOGFLOW_WEBHOOK_USER` + `DIALOGFLOW_WEBHOOK_PASSWORD` (basic auth) and/or
 * `DIALOGFLOW_WEBHOOK_SECRET` (sent in the header `DIALOGFLOW_WEBHOOK_HEADER`, default
 * `x-webhook-secret`). Without credentials: `'open'` when `ATTUNE_WEBHOOK_OPEN=1` asks for
 * it, else undefined (the webhook then refuses every call). A user without a password (or
 * the reverse), an empty value, or a header name without a secret is a ConfigError.
 *
 * ```ts
 * app.post('/dialogflow', dialogflowWebhook(attune, { auth: webhookAuthFromEnv(process.env) }));
 * ```
 */
export function webhookAuthFromEnv(env: Record<string, string | undefined>): DialogflowAuth | undefined {
  const { DIALOGFLOW_WEBHOOK_USER: user, DIALOGFLOW_WEBHOOK_PASSWORD: password, DIALOGFLOW_WEBHOOK_SECRET: secret, DIALOGFLOW_WEBHOOK_HEADER: headerName } = env;
  const auth: WebhookAuth = {};
  if (user !== undefined || password !== undefined) {
    if (user === undefined || password === undefined) throw new ConfigError('DIALOGFLOW_WEBHOOK_USER and DIALOGFLOW_WEBHOOK_PASSWORD go together: set both, or neither');
    auth.basic = { username: requireSecret(user, 'DIALOGFLOW_WEBHOOK_USER'), password: requireSecret(password, 'DIALOGFLOW_WEBHOOK_PASSWORD') };
  }
  if (headerName !== undefined && secret === undefined) throw new ConfigError('DIALOGFLOW_WEBHOOK_HEADER is set without DIALOGFLOW_WEBHOOK_SECRET, the value to expect in it');
  if (secret !== undefined) auth.headers = { [requireSecret(headerName ?? 'x-webhook-secret', 'DIALOGFLOW_WEBHOOK_HEADER')]: requireSecret(secret, 'DIALOGFLOW_WEBHOOK_SECRET') };
  if (auth.basic || auth.headers) return validateWebhookAuth(auth);
  return webhookOpenFromEnv(env) ? 'open' : undefined;
}
