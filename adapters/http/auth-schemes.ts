import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ConfigError } from '../../src/core/errors';
import type { CredentialCheck, HttpRequest } from './types';

/*
 * The credential schemes of the edge, each a constant-time check of one request: HTTP basic
 * auth and fixed header secrets (what the Dialogflow console can send), a query token (what
 * Rasa sends), and the API key of the REST API (`api-keys.ts`, which adds roles and budgets).
 * Bot Framework's JWTs are checked by botbuilder itself, in its adapter.
 */

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

/** One header's value (the first, when it was sent more than once). */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * HTTP basic auth (`Authorization: Basic base64(user:password)`) against one username and
 * password. Both are compared whatever the other gave, so timing tells nothing.
 *
 * ```ts
 * const check = basicAuth({ username: 'dialogflow', password: process.env.PASSWORD! });
 * if (!check(req)) sendUnauthenticated(res, 'wrong credentials', 'Basic realm="attune"');
 * ```
 */
export function basicAuth(expected: { username: string; password: string }): CredentialCheck {
  return (req) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headerOf(req.headers, 'authorization') ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : undefined;
    const pass = colon >= 0 ? decoded.slice(colon + 1) : undefined;
    const userOk = sameSecret(user, expected.username);
    const passOk = sameSecret(pass, expected.password);
    return userOk && passOk;
  };
}

/**
 * Fixed header secrets: every named header must carry exactly its value. Every header is
 * compared, whatever the others gave.
 *
 * ```ts
 * const check = headerSecrets({ 'x-webhook-secret': process.env.SECRET! });
 * ```
 */
export function headerSecrets(expected: Readonly<Record<string, string>>): CredentialCheck {
  const entries = Object.entries(expected);
  return (req) => entries.map(([name, value]) => sameSecret(headerOf(req.headers, name), value)).every(Boolean);
}

/**
 * The single value of a query parameter, or undefined when it is missing or repeated (a
 * repeated parameter has no one value to compare). Reads the framework's parsed query when
 * there is one, else the request's URL.
 */
export function queryParam(req: HttpRequest, name: string): string | undefined {
  if (typeof req.query === 'object' && req.query !== null) {
    const given: unknown = (req.query as Record<string, unknown>)[name];
    return typeof given === 'string' ? given : undefined;
  }
  const all = new URL(req.url ?? '/', 'http://localhost').searchParams.getAll(name);
  return all.length === 1 ? all[0] : undefined;
}

/**
 * A token in a query parameter (`?token=…`, as Rasa sends its `action_endpoint.token`). An
 * empty token or parameter name is a ConfigError here, at start-up.
 *
 * ```ts
 * const check = queryToken({ name: 'token', token: process.env.ATTUNE_RASA_TOKEN! });
 * ```
 */
export function queryToken(expected: { token: string; name?: string }): CredentialCheck {
  const token = requireSecret(expected.token, 'the token');
  const name = requireSecret(expected.name ?? 'token', 'the token parameter name');
  return (req) => sameSecret(queryParam(req, name), token);
}

/** Every check must pass; all of them run, so timing does not tell which one failed. */
export function allOf(checks: readonly CredentialCheck[]): CredentialCheck {
  return (req) => checks.map((check) => check(req)).every(Boolean);
}
