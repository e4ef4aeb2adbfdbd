import type { AttuneEvent, EventType } from '../core/event';
import type { Profile, StoredAssignment } from '../core/profile';
import type { Session, SessionTurn } from '../core/session';

/**
 * What a store reads back is checked before the engine sees it, and mended where it can be:
 * a record written by an older version, a hand edit or a half-applied write must never break
 * the user's later turns. Each field of the wrong shape is replaced by its empty value (and
 * the names of the mended fields reported, for the log); a record that cannot belong to
 * anyone (no user id) reads as absent. Hand-written rather than zod: it runs on every read of
 * a profile, and a check of known shapes costs a fraction of a schema parse.
 */

/** A mended value and the fields that had to be replaced (empty when it was sound). */
export interface ReadBack<T> {
  value: T;
  repaired: string[];
}

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIso = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && !Number.isNaN(Date.parse(v));
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A check of values of primitives (a record of numbers, a list of times, a session turn),
 * remembered for frozen ones: a frozen value cannot change, so once found sound it stays sound,
 * and a profile or session rebuilt from the last one (sharing what did not change, as stages
 * build them) is checked only in what changed. A value that is not frozen is checked each time.
 */
function remembered<T>(check: (v: Plain) => boolean, plain: (v: unknown) => boolean = isPlain): (v: unknown) => v is T {
  const sound = new WeakSet<object>();
  return (v: unknown): v is T => {
    if (!plain(v)) return false;
    const o = v as Plain;
    if (sound.has(o)) return true;
    if (!check(o)) return false;
    if (Object.isFrozen(o)) sound.add(o);
    return true;
  };
}

const numbers = remembered<Record<string, number>>((v) => {
  for (const k in v) if (!isFiniteNumber(v[k])) return false;
  return true;
});

const strings = remembered<Record<string, string>>((v) => {
  for (const k in v) if (typeof v[k] !== 'string') return false;
  return true;
});

function booleans(v: unknown): v is Record<string, boolean> {
  if (!isPlain(v)) return false;
  for (const k in v) if (typeof v[k] !== 'boolean') return false;
  return true;
}

const timeList = remembered<number[]>((list) => (list as unknown as unknown[]).every(isFiniteNumber), Array.isArray);

function timeLists(v: unknown): v is Record<string, number[]> {
  if (!isPlain(v)) return false;
  for (const k in v) if (!timeList(v[k])) return false;
  return true;
}

const assignment = remembered<StoredAssignment>(
  (a) => typeof a.variant === 'string' && a.variant !== '' && Number.isInteger(a.bucketVersion) && isIso(a.assignedAt) && (a.exposedAt === undefined || isIso(a.exposedAt)) && (a.convertedAt === undefined || isIso(a.convertedAt)),
);

function assignments(v: unknown): v is Record<string, StoredAssignment> {
  if (!isPlain(v)) return false;
  for (const k in v) if (!assignment(v[k])) return false;
  return true;
}

const recentItem = remembered<Profile['recentItems'][number]>((r) => typeof r.id === 'string' && isFiniteNumber(r.weight) && isIso(r.at));

/*
 * The lists too are remembered once found sound: a profile rebuilt from the last one shares its
 * purchases, and its recent items but for one (each item remembered on its own).
 */
const recentItems = remembered<Profile['recentItems']>((list) => (list as unknown as unknown[]).every(recentItem), Array.isArray);
const stringList = remembered<string[]>((list) => (list as unknown as unknown[]).every((x) => typeof x === 'string'), Array.isArray);

/**
 * Checks a profile read back; `null` when it has no usable user id.
 *
 * ```ts
 * const { value, repaired } = readBackProfile(JSON.parse(raw));
 * if (repaired.length) logger.warn({ repaired }, 'mended a stored profile');
 * ```
 */
export function readBackProfile(raw: unknown): ReadBack<Profile | null> {
  if (!isPlain(raw) || typeof raw.userId !== 'string' || raw.userId === '') return { value: null, repaired: raw === null || raw === undefined ? [] : ['userId'] };
  const repaired: string[] = [];
  // Only a field to mend needs it: found then, not on every read of a sound profile.
  const fallbackTime = () => [raw.lastSeen, raw.firstSeen, raw.affinitiesAt].find(isIso) ?? new Date(0).toISOString();
  const field = <T>(name: keyof Profile, ok: (v: unknown) => v is T, empty: () => T): T => {
    const v = raw[name];
    if (ok(v)) return v;
    repaired.push(name);
    return empty();
  };
  const profile: Profile = {
    userId: raw.userId,
    firstSeen: field('firstSeen', isIso, fallbackTime),
    lastSeen: field('lastSeen', isIso, fallbackTime),
    traits: field('traits', isPlain, () => ({})),
    counts: field('counts', numbers, () => ({})),
    affinities: field('affinities', numbers, () => ({})),
    affinitiesAt: field('affinitiesAt', isIso, fallbackTime),
    recentItems: field('recentItems', recentItems, () => []),
    purchased: field('purchased', stringList, () => []),
    recent: field('recent', timeLists, () => ({})),
    orders: field('orders', isFiniteNumber, () => 0),
    revenue: field('revenue', isFiniteNumber, () => 0),
    context: field('context', strings, () => ({})),
  };
  if (raw.consent !== undefined) {
    // A consent record that cannot be read is dropped, so the policy decides: never a guess.
    if (booleans(raw.consent)) profile.consent = raw.consent;
    else repaired.push('consent');
  }
  if (raw.experiments !== undefined) {
    // Unreadable assignments are dropped whole: the user is assigned afresh by the same hash,
    // which gives the same variant unless the bucket version moved on.
    if (assignments(raw.experiments)) profile.experiments = raw.experiments;
    else repaired.push('experiments');
  }
  // Fields a newer version may add are kept as they are.
  for (const k of Object.keys(raw)) if (!(k in profile) && k !== 'consent' && k !== 'experiments') (profile as unknown as Plain)[k] = raw[k];
  return { value: profile, repaired };
}

const sessionTurn = remembered<SessionTurn>(
  (t) => (t.direction === 'in' || t.direction === 'out') && isIso(t.at) && (t.text === undefined || typeof t.text === 'string') && (t.intent === undefined || typeof t.intent === 'string'),
);

/** Checks a session read back; `null` when it has no usable ids (it is then started afresh). */
export function readBackSession(raw: unknown): ReadBack<Session | null> {
  if (!isPlain(raw) || typeof raw.id !== 'string' || raw.id === '' || typeof raw.userId !== 'string' || raw.userId === '') return { value: null, repaired: ['id'] };
  const repaired: string[] = [];
  const fallbackTime = [raw.lastActiveAt, raw.startedAt].find(isIso) ?? new Date(0).toISOString();
  const field = <T>(name: keyof Session, ok: (v: unknown) => v is T, empty: () => T): T => {
    const v = raw[name];
    if (ok(v)) return v;
    repaired.push(name);
    return empty();
  };
  const session: Session = {
    id: raw.id,
    userId: raw.userId,
    startedAt: field('startedAt', isIso, () => fallbackTime),
    lastActiveAt: field('lastActiveAt', isIso, () => fallbackTime),
    turns: field('turns', (v): v is SessionTurn[] => Array.isArray(v) && v.every(sessionTurn), () => []),
    intents: field('intents', (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'), () => []),
    entities: field('entities', isPlain, () => ({})),
    slots: field('slots', isPlain, () => ({})),
  };
  return { value: session, repaired };
}

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['track', 'identify', 'page', 'screen', 'alias', 'group']);

/**
 * Checks an event read back from the log. Events are never dropped here (a page of the log
 * must keep its length, or a reader would take it for the end): a field of the wrong shape
 * is emptied, and an event that is not an object at all reads as an `Unreadable Event`.
 */
export function readBackEvent(raw: unknown): ReadBack<AttuneEvent> {
  const e: Plain = isPlain(raw) ? raw : {};
  const repaired: string[] = isPlain(raw) ? [] : ['event'];
  const text = (name: string, fallback: string): string => {
    const v = e[name];
    if (typeof v === 'string' && v !== '') return v;
    repaired.push(name);
    return fallback;
  };
  const epoch = new Date(0).toISOString();
  const out: AttuneEvent = {
    type: EVENT_TYPES.has(e.type as string) ? (e.type as EventType) : (repaired.push('type'), 'track'),
    messageId: text('messageId', 'unreadable'),
    userId: text('userId', 'unknown'),
    properties: isPlain(e.properties) ? e.properties : (repaired.push('properties'), {}),
    traits: isPlain(e.traits) ? e.traits : (repaired.push('traits'), {}),
    context: isPlain(e.context) ? e.context : (repaired.push('context'), {}),
    timestamp: isIso(e.timestamp) ? e.timestamp : (repaired.push('timestamp'), epoch),
    receivedAt: isIso(e.receivedAt) ? e.receivedAt : (repaired.push('receivedAt'), epoch),
  };
  if (typeof e.anonymousId === 'string') out.anonymousId = e.anonymousId;
  if (typeof e.event === 'string') out.event = e.event;
  else if (out.type === 'track') out.event = (repaired.push('event'), 'Unreadable Event');
  if (typeof e.name === 'string') out.name = e.name;
  if (typeof e.previousId === 'string') out.previousId = e.previousId;
  if (typeof e.groupId === 'string') out.groupId = e.groupId;
  for (const k of Object.keys(e)) if (!(k in out) && !['anonymousId', 'event', 'name', 'previousId', 'groupId'].includes(k)) (out as unknown as Plain)[k] = e[k];
  return { value: out, repaired };
}
