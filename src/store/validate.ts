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
