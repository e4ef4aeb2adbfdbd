import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import { ValidationError } from '../core/errors';
import type { AttuneEvent } from '../core/event';
import { emptyProfile } from '../core/profile';
import { memberCountChange } from '../segments/census';
import type { AuditLog, Store, SuppressionList, UserExport, UserRights as StoreRights } from '../store/store';
import { currentAuditAttributes } from './audit-attributes';
import { auditRecord, type AuditAction, type AuditDetails } from './audit';
import { allows, mergeConsent, type Consent, type ConsentPolicy } from './consent';
import type { Pseudonymizer } from './pseudonymizer';

/** Everything Attune holds about one user (GDPR Art. 15 and 20), as JSON. */
export interface UserDataExport {
  /** The pseudonymous ids the data is stored under (one per id key still in the ring). */
  userIds: string[];
  exportedAt: string;
  profile: UserExport['profile'];
  consent: Record<string, boolean> | null;
  segments: string[];
  sessions: UserExport['sessions'];
  events: AttuneEvent[];
  /** Cached values (e.g. recommendation lists) held for the user. */
  cache: UserExport['cache'];
  /** Experiment assignments (none until experiments run). */
  experiments: Record<string, string>;
  /** Whether the served model holds factors or history for the user. */
  inModel: boolean;
  /** The audit-only attributes recorded for bias audits (their records are among `events`), or null. */
  auditAttributes: Record<string, string> | null;
}

/** Who asks for an admin action, for the audit log. */
export interface Actor {
  /** API key id (never the key) or an operator name; no personal data. */
  actor: string;
}

/** What the served model knows, and how to forget: retrain without the user, drop old versions. */
export interface ModelForgetting {
  knowsUser(userId: string): boolean;
  /** Retrains on the log as it is now and drops the versions that held the erased users. */
  forget(): Promise<void>;
}

/** The users whose turns are running or erased in this process (see TurnRunner). */
export interface ErasureMarks {
  readonly lock: { run<T>(userId: string, fn: () => Promise<T>): Promise<T> };
  erasing(userIds: readonly string[]): void;
  erased(userIds: readonly string[]): void;
}

/** Something in this process that holds a user's derived data (a cache) and can drop it. */
export interface UserForgetting {
  forgetUser(userId: string): void;
}

/** What the rights service needs. */
export interface RightsDeps {
  store: StoreRights & SuppressionList & AuditLog & Pick<Store, 'readUser' | 'write'>;
  ids: Pseudonymizer;
  clock: Clock;
  consentPolicy: ConsentPolicy;
  model: ModelForgetting;
  turns: ErasureMarks;
  /** In-process caches of derived data (e.g. remembered recommendation lists), emptied of an erased user. */
  caches?: readonly UserForgetting[];
}

/**
 * The data subject's rights: access (export), erasure, and consent, with an audit record of
 * each admin action that holds no personal data.
 */
export class RightsService {
  constructor(private readonly deps: RightsDeps) {}

  /** Everything held about a user, from every store and the served model (GDPR Art. 15, 20). */
  async export(rawUserId: string): Promise<UserDataExport> {
    const { ids, store, clock, model } = this.deps;
    const userIds = ids.all(rawUserId);
    const parts = await Promise.all(userIds.map((id) => store.exportUser(id)));
    const held = parts.filter((p) => p.profile || p.events.length || p.sessions.length || p.segments.length || p.cache.length);
    const main = held[0] ?? parts[0];
    return {
      userIds,
      exportedAt: new Date(clock()).toISOString(),
      profile: main.profile,
      consent: main.profile?.consent ?? null,
      segments: [...new Set(held.flatMap((p) => p.segments))],
      sessions: held.flatMap((p) => p.sessions),
      events: held.flatMap((p) => p.events),
      cache: held.flatMap((p) => p.cache),
      experiments: {},
      inModel: userIds.some((id) => model.knowsUser(id)),
      auditAttributes: currentAuditAttributes(held.flatMap((p) => p.events)),
    };
  }

  /**
   * Erases one user everywhere (GDPR Art. 17): every store record under each of their
   * pseudonyms, the served model's knowledge of them (it is retrained from the log, which no
   * longer holds them, and older versions are dropped), and suppresses their ids so that late
   * events and later turns store nothing until they consent again. Audited.
   */
  async erase(rawUserId: string, by: Actor = { actor: 'library' }): Promise<{ removed: number; retrained: boolean }> {
    if (!rawUserId) throw new ValidationError('user id must be a non-empty string');
    const { ids, store, model, turns } = this.deps;
    const userIds = ids.all(rawUserId);
    turns.erasing(userIds);
    try {
      await store.suppress(userIds);
      let removed = 0;
      for (const id of userIds) {
        // The segments' member counts are kept apart from the memberships (see census.ts):
        // what the user was in is read first, so the counts lose them with the user.
        const { segments } = await store.readUser(id);
        removed += (await store.eraseUser(id)).removed;
        for (const cache of this.deps.caches ?? []) cache.forgetUser(id);
        const members = memberCountChange([], segments);
        if (members) await store.write({ counters: [members] });
      }
      const retrained = userIds.some((id) => model.knowsUser(id));
      if (retrained) await model.forget();
      await this.audit(by, 'user.erase', userIds[0], 'success', { removed, retrained });
      return { removed, retrained };
    } catch (err) {
      await this.audit(by, 'user.erase', userIds[0], 'failure', {}).catch(() => undefined);
      throw err;
    } finally {
      // A turn that began before this point and commits later must not write the user back.
      turns.erased(userIds);
    }
  }

  /**
   * Records consent decisions for a user (from the REST API or the bot). Takes effect on the
   * user's next turn. Only the decision itself is stored when personalization is refused.
   *
   * This is the one way back for an erased user: until a call here grants a purpose, their
   * turns and events store nothing; a call that grants none stores nothing either.
   */
  async setConsent(rawUserId: string, update: Consent): Promise<Record<string, boolean>> {
    const { ids, store, clock, consentPolicy, turns } = this.deps;
    const userId = ids.key(rawUserId);
    const userIds = ids.all(rawUserId);
    if ((await store.isSuppressed(userIds)).some(Boolean)) {
      if (!Object.values(update).some((granted) => granted === true)) return { ...update };
      await store.unsuppress(userIds);
    }
    return turns.lock.run(userId, async () => {
      const snap = await store.readUser(userId);
      const at = new Date(clock()).toISOString();
      const consent = { ...mergeConsent(snap.profile?.consent, update) };
      const personal = allows(consent, 'personalization', consentPolicy);
      const profile = personal && snap.profile ? { ...snap.profile, consent } : { ...emptyProfile(userId, at), consent };
      const members = personal ? undefined : memberCountChange([], snap.segments);
      await store.write({ profiles: [profile], memberships: personal ? [] : [{ userId, segments: [] }], ...(members && { counters: [members] }) });
      return consent;
    });
  }

  /** Appends an audit record for an admin action about `target` (a stored id), see {@link audit}. */
  audit(by: Actor, action: AuditAction, target: string | undefined, outcome: 'success' | 'failure' | 'denied', details: AuditDetails): Promise<void> {
    return audit(this.deps, by, action, target, outcome, details);
  }
}

/**
 * Appends an audit record for an admin action. The user is named by a digest of their
 * pseudonym, never the pseudonym itself: once the user is erased, nothing left in the store
 * (audit included) leads back to them, yet a later request about the same user can be matched.
 */
export async function audit(to: { store: AuditLog; clock: Clock }, by: Actor, action: AuditAction, target: string | undefined, outcome: 'success' | 'failure' | 'denied', details: AuditDetails): Promise<void> {
  const subject: Record<string, string> = target === undefined ? {} : { subject: createHash('sha256').update(`audit:${target}`).digest('hex').slice(0, 24) };
  const record = auditRecord({ at: new Date(to.clock()), actor: by.actor, action, outcome, details: { ...details, ...subject } });
  await to.store.appendAudit(Object.fromEntries(Object.entries(record).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === 'object' ? JSON.stringify(v) : v]]))));
}
