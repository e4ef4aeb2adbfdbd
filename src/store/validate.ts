import { ValidationError } from '../core/errors';

/** Shared argument checks, so that every store rejects the same inputs with the same errors. */
export function checkId(what: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 512) {
    throw new ValidationError(`${what} must be a non-empty string of at most 512 characters`);
  }
}

/** Artifact and counter names: letters, digits and `._:-`. */
export function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(name)) {
    throw new ValidationError(`${what} must match [A-Za-z0-9._:-]{1,128}`);
  }
}

/** Page size: 1..10000, default 1000. */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new ValidationError('limit must be an integer from 1 to 10000');
  return limit;
}

/** Positive whole seconds. */
export function checkTtl(ttl: number): void {
  if (!Number.isInteger(ttl) || ttl < 1) throw new ValidationError('ttlSeconds must be a positive integer');
}

/** Top-k size: 1..10000. */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > 10000) throw new ValidationError('k must be an integer from 1 to 10000');
}

/**
 * Orders keys by Unicode code point, which is the UTF-8 byte order Redis uses for members with
 * equal scores. Plain `<` on JS strings compares UTF-16 code units and puts astral characters
 * (emoji) before U+E000–U+FFFF, so the stores would break ties differently.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Both at or above the surrogate range: lift surrogates above U+E000–U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

const codePointRank = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);
