import { ValidationError } from '../core/errors';
import type { WriteBatch } from './store';

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

/** The page size of a read that names none. */
export const PAGE_DEFAULT = 1000;

/** Page size: 1..10000, default {@link PAGE_DEFAULT}. */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new ValidationError('limit must be an integer from 1 to 10000');
  return limit;
}

/** Positive whole seconds. */
export function checkTtl(ttl: number): void {
  if (!Number.isInteger(ttl) || ttl < 1) throw new ValidationError('ttlSeconds must be a positive integer');
}

/** Artifact versions: positive integers. */
export function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1) throw new ValidationError('version must be a positive integer');
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

/** Audit records: 1 to 64 fields, names like identifiers, values small and finite. */
export function checkAudit(record: unknown): void {
  const bad = (why: string) => new ValidationError(`audit record ${why}`);
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw bad('must be an object');
  const entries = Object.entries(record);
  if (entries.length === 0 || entries.length > 64) throw bad('must have 1 to 64 fields');
  for (const [key, value] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(key)) throw bad(`field ${JSON.stringify(key.slice(0, 64))} must match [A-Za-z][A-Za-z0-9_.-]{0,63}`);
    const ok = typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 1024);
    if (!ok) throw bad(`field ${key} must be a boolean, a finite number or a string of at most 1024 characters`);
  }
}

/** Retention limits: absent, or positive whole seconds. */
export function checkRetention(policy: { eventsMaxAgeSeconds?: number; inactiveProfileMaxAgeSeconds?: number }): void {
  for (const [name, value] of Object.entries(policy)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new ValidationError(`${name} must be a positive integer`);
  }
}

/** Checks a batch before any of it is applied, so a bad batch changes nothing. */
export function validateBatch(batch: WriteBatch): void {
  for (const e of batch.events ?? []) {
    checkId('event.userId', e.userId);
    checkId('event.messageId', e.messageId);
  }
  for (const p of batch.profiles ?? []) checkId('profile.userId', p.userId);
  for (const s of batch.sessions ?? []) {
    checkId('session.userId', s.userId);
    checkId('session.id', s.id);
  }
  for (const m of batch.memberships ?? []) {
    checkId('membership.userId', m.userId);
    m.segments.forEach((s) => checkId('segment id', s));
  }
  for (const c of batch.counters ?? []) {
    checkName('counter name', c.name);
    for (const [key, by] of Object.entries(c.increments)) {
      checkId('counter key', key);
      if (!Number.isFinite(by)) throw new ValidationError(`counter increment for ${key} must be a finite number`);
    }
  }
}

/** Consumer group and consumer names: as artifact names. */
export function checkGroup(group: unknown, consumer?: unknown): void {
  checkName('group name', group);
  if (consumer !== undefined) checkName('consumer name', consumer);
}

/** A group's starting point: absent, `start` or `end`. */
export function checkGroupStart(options: { from?: unknown } | undefined): void {
  const from = options?.from;
  if (from !== undefined && from !== 'start' && from !== 'end') throw new ValidationError('from must be "start" or "end"');
}

/** What a group read asks for: a count of 1..10000 and, when given, a wait of 1..600000 ms. */
export function checkGroupRead(options: { count: number; blockMs?: number } | undefined): void {
  checkCount(options?.count);
  const blockMs = options?.blockMs;
  if (blockMs !== undefined && (!Number.isInteger(blockMs) || blockMs < 1 || blockMs > 600_000)) throw new ValidationError('blockMs must be an integer from 1 to 600000');
}

/** What a claim of stale entries asks for: an idle time ≥ 0 ms and a count of 1..10000. */
export function checkStaleClaim(options: { minIdleMs: number; count: number } | undefined): void {
  checkCount(options?.count);
  const idle = options?.minIdleMs;
  if (typeof idle !== 'number' || !Number.isInteger(idle) || idle < 0) throw new ValidationError('minIdleMs must be a non-negative integer');
}

/** Entries per stream call: 1..10000. */
function checkCount(count: unknown): void {
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 10000) throw new ValidationError('count must be an integer from 1 to 10000');
}

/** Entry ids to acknowledge: at most 10000, each one the store's `issued` pattern accepts. */
export function checkEntryIds(ids: readonly unknown[], issued: RegExp): void {
  if (!Array.isArray(ids) || ids.length > 10000) throw new ValidationError('ids must be an array of at most 10000 entry ids');
  for (const id of ids) if (typeof id !== 'string' || !issued.test(id)) throw new ValidationError('entry id is not one this store issued');
}
