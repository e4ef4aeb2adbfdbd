import { isIP } from 'node:net';
import { ConfigError } from '../../src/core/errors';

/**
 * Which proxies in front of the server are believed about the client's address
 * (`X-Forwarded-For`), as Express's `trust proxy` takes it: `false` (none: the socket's peer is
 * the client), a number of hops (the proxies nearest the server, whoever they are), or the
 * proxies' addresses and subnets (`'10.0.0.0/8'`, `'::1'`) and Express's names `loopback`,
 * `linklocal`, `uniquelocal`. The client address keys every per-client limit (rate, failed
 * authentications) and decides who is on loopback for a webhook in open mode.
 *
 * There is no `true`: it believes any `X-Forwarded-For`, so a client that sends
 * `X-Forwarded-For: 127.0.0.1` or a new address per request would escape the limits and pass
 * for a loopback caller.
 */
export type TrustProxy = false | number | readonly string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Whether `entry` is an address, a subnet in CIDR notation, or one of Express's names. */
function isProxyEntry(entry: string): boolean {
  if (NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Checks a {@link TrustProxy} given in code; a wrong one is a {@link ConfigError} saying why.
 *
 * ```ts
 * checkTrustProxy(['loopback', '10.0.0.0/8']); // returns it
 * ```
 */
export function checkTrustProxy(value: TrustProxy, source = 'trustProxy'): TrustProxy {
  if (value === false) return false;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${source} must be a positive number of proxy hops, got ${value}`);
    return value;
  }
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(`${source} must be false, a number of hops, or a list of proxy addresses and subnets`);
  const bad = value.filter((entry) => typeof entry !== 'string' || !isProxyEntry(entry));
  if (bad.length) throw new ConfigError(`${source}: ${bad.map((b) => JSON.stringify(b)).join(', ')} is not an address, a subnet (a.b.c.d/n) or one of loopback, linklocal, uniquelocal`);
  return [...value];
}

/**
 * {@link TrustProxy} from `ATTUNE_TRUST_PROXY`: unset, empty, `0` or `false` trusts no proxy;
 * a positive integer is a number of hops; anything else is a comma-separated list of proxy
 * addresses, subnets and names. `true` is refused (see {@link TrustProxy}).
 *
 * ```ts
 * trustProxyFromEnv({ ATTUNE_TRUST_PROXY: 'loopback' }); // ['loopback']: nginx on the same host
 * trustProxyFromEnv({ ATTUNE_TRUST_PROXY: '1' });        // 1: the one proxy in front, e.g. a load balancer
 * ```
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): TrustProxy {
  const raw = env.ATTUNE_TRUST_PROXY?.trim() ?? '';
  if (raw === '' || raw === '0' || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') {
    throw new ConfigError('ATTUNE_TRUST_PROXY=true would believe any client\'s X-Forwarded-For: give the number of proxies in front (e.g. 1) or their addresses (e.g. loopback, 10.0.0.0/8)');
  }
  if (/^\d+$/.test(raw)) return checkTrustProxy(Number(raw), 'ATTUNE_TRUST_PROXY');
  return checkTrustProxy(raw.split(',').map((s) => s.trim()), 'ATTUNE_TRUST_PROXY');
}
