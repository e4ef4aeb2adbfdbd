import type { Store, WriteBatch } from '../../src/store/store';
import { event, profile, session } from './fixtures';

/** One malformed call: a label for the test name and the call itself. */
export type ValidationCase = [label: string, call: (store: Store) => Promise<unknown>];

const TOO_LONG = 'x'.repeat(513);

/**
 * A batch whose every part is valid except `bad`, which is appended last: proves the whole
 * batch is checked before any of it (the good event and profile for user `ok`) is applied.
 */
function badBatch(bad: WriteBatch): WriteBatch {
  const good: Required<WriteBatch> = {
    events: [event('ok', 1)],
    profiles: [profile('ok')],
    sessions: [session('ok', 's1')],
    memberships: [{ userId: 'ok', segments: ['seg'] }],
    counters: [{ name: 'views', increments: { p1: 1 } }],
  };
  return {
    events: [...good.events, ...(bad.events ?? [])],
    profiles: [...good.profiles, ...(bad.profiles ?? [])],
    sessions: [...good.sessions, ...(bad.sessions ?? [])],
    memberships: [...good.memberships, ...(bad.memberships ?? [])],
    counters: [...good.counters, ...(bad.counters ?? [])],
  };
}

const write = (label: string, bad: WriteBatch): ValidationCase => [`write: ${label}`, (s) => s.write(badBatch(bad))];

/**
 * Every argument the Store contract rejects. Cursors here are strings neither store issues
 * (memory issues decimal sequence numbers, Redis `<ms>-<seq>` stream ids).
 */
export function validationCases(): ValidationCase[] {
  return [
    ['readUser: empty userId', (s) => s.readUser('')],
    ['readUser: userId over 512 characters', (s) => s.readUser(TOO_LONG)],
    ['readUser: userId not a string', (s) => s.readUser(42 as unknown as string)],
    ['readUser: empty sessionId', (s) => s.readUser('ok', '')],
    ['readEvents: empty userId', (s) => s.readEvents({ userId: '' })],
    ['readEvents: limit 0', (s) => s.readEvents({ limit: 0 })],
    ['readEvents: limit 10001', (s) => s.readEvents({ limit: 10001 })],
    ['readEvents: fractional limit', (s) => s.readEvents({ limit: 2.5 })],
    ['readEvents: empty cursor', (s) => s.readEvents({ after: '' })],
    ['readEvents: cursor of letters', (s) => s.readEvents({ after: 'abc' })],
    ['readEvents: negative cursor', (s) => s.readEvents({ after: '-1' })],
    ['readEvents: fractional cursor', (s) => s.readEvents({ after: '1.5' })],
    ['readEvents: cursor with spaces', (s) => s.readEvents({ after: ' 1 ' })],
    ['readEvents: half a stream id', (s) => s.readEvents({ after: '1-' })],
    ['claim: an empty id among good ones', (s) => s.claim(['ok-claim', ''])],
    ['claim: an id over 512 characters', (s) => s.claim(['ok-claim', TOO_LONG])],
    write('event with an empty userId', { events: [{ ...event('x', 1), userId: '' }] }),
    write('event with an empty messageId', { events: [{ ...event('x', 1), messageId: '' }] }),
    write('event with a userId over 512 characters', { events: [event(TOO_LONG, 1)] }),
    write('profile with an empty userId', { profiles: [profile('')] }),
    write('session with an empty userId', { sessions: [session('', 's1')] }),
    write('session with an empty id', { sessions: [session('x', '')] }),
    write('membership with an empty userId', { memberships: [{ userId: '', segments: ['a'] }] }),
    write('membership with an empty segment id', { memberships: [{ userId: 'x', segments: ['a', ''] }] }),
    write('counter with a name holding a space', { counters: [{ name: 'bad name', increments: { p1: 1 } }] }),
    write('counter with an empty key', { counters: [{ name: 'views', increments: { '': 1 } }] }),
    write('counter increment NaN', { counters: [{ name: 'views', increments: { p2: NaN } }] }),
    write('counter increment Infinity', { counters: [{ name: 'views', increments: { p2: Infinity } }] }),
    ['topCounters: empty name', (s) => s.topCounters('', 1)],
    ['topCounters: name with a slash', (s) => s.topCounters('a/b', 1)],
    ['topCounters: name over 128 characters', (s) => s.topCounters('n'.repeat(129), 1)],
    ['topCounters: k 0', (s) => s.topCounters('views', 0)],
    ['topCounters: k 10001', (s) => s.topCounters('views', 10001)],
    ['topCounters: fractional k', (s) => s.topCounters('views', 1.5)],
    ['cacheGet: empty key', (s) => s.cacheGet('')],
    ['cacheGet: empty userId', (s) => s.cacheGet('k', '')],
    ['cacheSet: empty key', (s) => s.cacheSet('', 'v', 1)],
    ['cacheSet: TTL 0', (s) => s.cacheSet('k', 'v', 0)],
    ['cacheSet: fractional TTL', (s) => s.cacheSet('k', 'v', 1.5)],
    ['cacheSet: empty userId', (s) => s.cacheSet('k', 'v', 1, '')],
    ['putArtifact: name with a space', (s) => s.putArtifact('bad name', 'x')],
    ['putArtifact: empty name', (s) => s.putArtifact('', 'x')],
    ['getArtifact: name with braces', (s) => s.getArtifact('{m}')],
    ['getArtifact: version 0', (s) => s.getArtifact('m', 0)],
    ['getArtifact: negative version', (s) => s.getArtifact('m', -1)],
    ['getArtifact: fractional version', (s) => s.getArtifact('m', 1.5)],
    ['pruneArtifacts: bad name', (s) => s.pruneArtifacts('a b', 2)],
    ['pruneArtifacts: version 0', (s) => s.pruneArtifacts('m', 0)],
    ['exportUser: empty userId', (s) => s.exportUser('')],
    ['eraseUser: empty userId', (s) => s.eraseUser('')],
    ['eraseUser: userId over 512 characters', (s) => s.eraseUser(TOO_LONG)],
    ['suppress: an empty id among good ones', (s) => s.suppress(['ok', ''])],
    ['unsuppress: an empty id among good ones', (s) => s.unsuppress(['ok', ''])],
    ['release: an id over 512 characters', (s) => s.release(['ok-claim', TOO_LONG])],
    ['isSuppressed: an empty id', (s) => s.isSuppressed([''])],
    ['appendAudit: no fields', (s) => s.appendAudit({})],
    ['appendAudit: a field name with a space', (s) => s.appendAudit({ 'bad name': 1 })],
    ['appendAudit: NaN', (s) => s.appendAudit({ n: NaN })],
    ['appendAudit: a nested object', (s) => s.appendAudit({ o: {} as unknown as string })],
    ['readAudit: limit 0', (s) => s.readAudit({ limit: 0 })],
    ['readAudit: cursor of letters', (s) => s.readAudit({ after: 'abc' })],
    ['ensureGroup: group name with a space', (s) => s.ensureGroup('bad group')],
    ['ensureGroup: empty group name', (s) => s.ensureGroup('')],
    ['ensureGroup: from neither start nor end', (s) => s.ensureGroup('g', { from: 'middle' as 'start' })],
    ['readGroup: empty consumer', (s) => s.readGroup('g', '', { count: 1 })],
    ['readGroup: count 0', (s) => s.readGroup('g', 'c', { count: 0 })],
    ['readGroup: count 10001', (s) => s.readGroup('g', 'c', { count: 10001 })],
    ['readGroup: no options', (s) => s.readGroup('g', 'c', undefined as unknown as { count: number })],
    ['readGroup: blockMs 0 (Redis would wait forever)', (s) => s.readGroup('g', 'c', { count: 1, blockMs: 0 })],
    ['readGroup: fractional blockMs', (s) => s.readGroup('g', 'c', { count: 1, blockMs: 1.5 })],
    ['ack: group name with a slash', (s) => s.ack('a/b', [])],
    ['ack: an id of letters', (s) => s.ack('g', ['abc'])],
    ['ack: an empty id', (s) => s.ack('g', [''])],
    ['claimStale: negative minIdleMs', (s) => s.claimStale('g', 'c', { minIdleMs: -1, count: 1 })],
    ['claimStale: count 0', (s) => s.claimStale('g', 'c', { minIdleMs: 0, count: 0 })],
    ['claimStale: consumer name over 128 characters', (s) => s.claimStale('g', 'c'.repeat(129), { minIdleMs: 0, count: 1 })],
    ['pending: empty group name', (s) => s.pending('')],
    ['sweep: events age 0', (s) => s.sweep({ eventsMaxAgeSeconds: 0 })],
    ['sweep: fractional profile age', (s) => s.sweep({ inactiveProfileMaxAgeSeconds: 1.5 })],
  ];
}
