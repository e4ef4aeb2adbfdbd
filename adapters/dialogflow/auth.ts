import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * What the Dialogflow console lets a webhook require: HTTP basic auth (ES "Basic auth", CX
 * "Authentication: username/password") and/or fixed request headers (ES "Headers", CX
 * "Webhook headers"). Either, both, or neither.
 */
export interface WebhookAuth {
  basic?: { username: string; password: string };
  /** Header name → the exact value Dialogflow is configured to send. */
  headers?: Record<string, string>;
}

// Hashing first makes the comparison constant-time in the length of the secret as well.
function same(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256').update(given ?? '').digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** True when the request carries every credential `auth` asks for. Every check always runs. */
export function authorized(headers: IncomingHttpHeaders, auth: WebhookAuth): boolean {
  let ok = true;
  if (auth.basic) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header(headers, 'authorization') ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : undefined;
    const pass = colon >= 0 ? decoded.slice(colon + 1) : undefined;
    ok = same(user, auth.basic.username) && ok;
    ok = same(pass, auth.basic.password) && ok;
  }
  for (const [name, value] of Object.entries(auth.headers ?? {})) ok = same(header(headers, name), value) && ok;
  return ok;
}

/**
 * Webhook credentials from the environment, for apps configured by deployment:
 * `DIALOGFLOW_WEBHOOK_USER` + `DIALOGFLOW_WEBHOOK_PASSWORD` (basic auth) and/or
 * `DIALOGFLOW_WEBHOOK_SECRET` (sent in the header `DIALOGFLOW_WEBHOOK_HEADER`, default
 * `x-webhook-secret`). Undefined when none is set.
 *
 * ```ts
 * app.post('/dialogflow', dialogflowWebhook(attune, { auth: webhookAuthFromEnv(process.env) }));
 * ```
 */
export function webhookAuthFromEnv(env: Record<string, string | undefined>): WebhookAuth | undefined {
  const auth: WebhookAuth = {};
  if (env.DIALOGFLOW_WEBHOOK_USER && env.DIALOGFLOW_WEBHOOK_PASSWORD) auth.basic = { username: env.DIALOGFLOW_WEBHOOK_USER, password: env.DIALOGFLOW_WEBHOOK_PASSWORD };
  if (env.DIALOGFLOW_WEBHOOK_SECRET) auth.headers = { [env.DIALOGFLOW_WEBHOOK_HEADER ?? 'x-webhook-secret']: env.DIALOGFLOW_WEBHOOK_SECRET };
  return auth.basic || auth.headers ? auth : undefined;
}
