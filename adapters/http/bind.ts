import { isIP } from 'node:net';
import { ConfigError } from '../../src/core/errors';

/** Where a server listens when `HOST` is not set: this machine only. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * True for an address that never leaves this machine: 127.0.0.0/8, `::1`, their IPv4-mapped
 * forms and `localhost`. Any other name may resolve anywhere, so it counts as beyond loopback.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (a === 'localhost' || a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** What {@link resolveListen} decides on. */
export interface ListenPolicy {
  /** The requested bind address, usually `process.env.HOST`; unset or empty → loopback. */
  host?: string;
  /**
   * Whether authentication is configured, for every endpoint that exposes user data, by
   * name (`{ '/v1': true, '/dialogflow': false }`), or one answer for all of them.
   */
  authConfigured: boolean | Record<string, boolean>;
}

/** Where to listen, and whether that stays on this machine. */
export interface ListenAddress {
  host: string;
  loopback: boolean;
}

/**
 * The bind policy of every Attune server: loopback unless a host is asked for, and a host
 * beyond loopback only when every endpoint that exposes user data requires authentication.
 * Otherwise a ConfigError naming the open endpoints, at start-up, before anything listens.
 *
 * ```ts
 * const { host } = resolveListen({ host: process.env.HOST, authConfigured: { '/v1': true, '/dialogflow': hasDialogflowAuth } });
 * app.listen(port, host);
 * ```
 */
export function resolveListen(policy: ListenPolicy): ListenAddress {
  const host = policy.host?.trim() || LOOPBACK_HOST;
  if (isLoopback(host)) return { host, loopback: true };
  const configured = policy.authConfigured;
  const open = typeof configured === 'boolean' ? (configured ? [] : ['the server']) : Object.keys(configured).filter((name) => !configured[name]);
  if (open.length) {
    throw new ConfigError(`refusing to listen on ${host}, beyond loopback: ${open.join(', ')} would accept unauthenticated calls. Configure authentication for ${open.length > 1 ? 'each' : 'it'}, or leave HOST unset to listen on ${LOOPBACK_HOST} only`);
  }
  return { host, loopback: false };
}
