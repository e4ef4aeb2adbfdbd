import type { Logger } from 'pino';
import { AttuneError, StoreError } from '../core/errors';
import { consentFromEvent } from '../privacy/consent';
import { type AttuneEvent, type EventInput, normalizeBatch, normalizeEvent } from '../core/event';
import type { Pseudonymizer } from '../privacy/pseudonymizer';
import type { Redactor } from '../privacy/redact';
import type { EventLog, SuppressionList, UserStore, Store, WriteBatch } from '../store/store';
import { GroupCommit, GroupFailure } from './group-commit';
import { applyEventsToUser, userBatch, type UserRules } from './apply';
import { IdentityMerger } from './identity';
import type { RunningTurns } from './running-turns';
import { type IngestMeta, type IngestQuality, sentMessageIds } from '../quality/gate';

export type { RunningTurns } from './running-turns';

/** What happened to ingested events. */
export interface IngestResult {
  /** Message ids stored. */
  accepted: string[];
  /** Message ids already seen, dropped. */
  duplicates: string[];
}

/** What ingestion reports to its caller: the result, and what the accepted events were (for hooks). */
export interface IngestOutcome extends IngestResult {
  /** The accepted events (pseudonymous, redacted), in order. */
  events: readonly AttuneEvent[];
  /** The events applying them wrote besides (segment entries and exits). */
  derived: readonly AttuneEvent[];
}

/** What the ingestor needs. */
export interface IngestorDeps {
  store: EventLog & SuppressionList & UserStore & Pick<Store, 'write' | 'exportUser' | 'eraseUser'>;
  ids: Pseudonymizer;
  redactor: Redactor;
  rules: UserRules;
  turns: RunningTurns;
  logger: Logger;
  /** Normalization, the tracking plan and the quality monitor, when configured. */
  quality?: IngestQuality;
}

/**
 * Ingestion of Segment events (REST, the official SDKs, `attune.track`): validation, ids
 * pseudonymized, de-duplication by messageId, erased users' late events dropped, redaction,
 * then {@link applyEventsToUser} per user. An event is stored before it is acknowledged; when
 * a write fails the call fails and the claims go back, so the client's retry is accepted.
 *
 * Calls that arrive while others are being stored are stored together (see
 * {@link GroupCommit}): one claim, one suppression check and one write for the whole group
 * (users with a running turn aside), each call still answered with its own outcome.
 */
export class Ingestor {
  private readonly merger: IdentityMerger;
  private readonly commit = new GroupCommit<readonly AttuneEvent[], IngestOutcome>((calls) => this.commitGroup(calls));

  constructor(private readonly deps: IngestorDeps) {
    this.merger = new IdentityMerger({ store: deps.store, rules: deps.rules, turns: deps.turns });
  }

  /** Validates and ingests one Segment event (`track`, `identify`, `page`, `screen`). */
  ingest(input: unknown, source?: string): Promise<IngestOutcome> {
    return this.events([normalizeEvent(input, new Date(this.deps.rules.clock()))], { source, sentIds: sentMessageIds([input]) });
  }

  /** Validates a Segment batch body (`{ batch: [...] }`) whole, then ingests it. */
  batch(input: unknown, source?: string): Promise<IngestOutcome> {
    const events = normalizeBatch(input, new Date(this.deps.rules.clock()));
    return this.events(events, { source, batch: true, sentIds: sentMessageIds((input as { batch: readonly unknown[] }).batch) });
  }

  /** Ingests normalized events (raw user ids). */
  async events(rawEvents: readonly AttuneEvent[], meta: IngestMeta = {}): Promise<IngestOutcome> {
    if (!rawEvents.length) return { accepted: [], duplicates: [], events: [], derived: [] };
    const { ids, quality } = this.deps;
    const pseudonymous = rawEvents.map((e) => {
      const out = { ...e, userId: ids.key(e.userId) };
      if (e.anonymousId) out.anonymousId = ids.key(e.anonymousId);
      if (e.previousId) out.previousId = ids.key(e.previousId);
      return out;
    });
    // Normalized and checked before anything is claimed: an event the plan refuses is the client's 400.
    const events = quality ? await quality.check(pseudonymous, meta) : pseudonymous;
    // Consent decisions are read before anything is claimed: a malformed one is the client's
    // 400, with nothing claimed, not a failed write after the claim.
    for (const e of events) consentFromEvent(e);
    return this.commit.submit(events);
  }

  /** Stores the events of several calls as one group; each call's outcome, in order. */
  private async commitGroup(calls: readonly (readonly AttuneEvent[])[]): Promise<(IngestOutcome | GroupFailure)[]> {
    const { store } = this.deps;
    const events = calls.flat();
    const messageIds = events.map((e) => e.messageId);
    const [claimed, suppressedAnswer] = await Promise.allSettled([store.claim(messageIds), store.isSuppressed(events.map((e) => e.userId))]);
    if (claimed.status === 'rejected') throw claimed.reason;
    const fresh = claimed.value;
    if (suppressedAnswer.status === 'rejected') {
      // Nothing was written: the claims go back, so that the client's retry is not a duplicate.
      await this.release(messageIds.filter((_, i) => fresh[i]));
      throw suppressedAnswer.reason;
    }
    const suppressed = suppressedAnswer.value;
    // Claims are in call order, so a repeat within the group is a duplicate, as it would be in turn.
    let at = 0;
    const parts = calls.map((call) => {
      const accepted: AttuneEvent[] = [];
      const duplicates: string[] = [];
      // An erased user's late events are dropped, and reported as neither accepted nor duplicate.
      for (const e of call) {
        const i = at++;
        if (suppressed[i]) continue;
        if (fresh[i]) accepted.push(this.redact(e));
        else duplicates.push(e.messageId);
      }
      return { accepted, duplicates };
    });
    const accepted = parts.flatMap((p) => p.accepted);
    const byUser = new Map<string, AttuneEvent[]>();
    for (const e of accepted) {
      const list = byUser.get(e.userId);
      if (list) list.push(e);
      else byUser.set(e.userId, [e]);
    }
    // Identity first: a visitor's history joins the user before the user's own events apply.
    await this.resolveIdentities(accepted);
    const derived = new Map<string, AttuneEvent[]>();
    const failures = await this.applyAll(byUser, derived);
    // Users whose write went through keep their claims (a retry is rightly a duplicate); the
    // others are released, so the retry is accepted. A call with such a user fails as a whole.
    if (failures.size) await this.release(accepted.filter((e) => failures.has(e.userId)).map((e) => e.messageId));
    const reported = new Set<string>();
    return parts.map(({ accepted: mine, duplicates }) => {
      const failed = mine.find((e) => failures.has(e.userId));
      if (failed) {
        const reason = failures.get(failed.userId);
        return new GroupFailure(reason instanceof AttuneError ? reason : new StoreError('could not store the events', reason));
      }
      // What applying a user's events derived is reported once, to the first call with the user.
      const own: AttuneEvent[] = [];
      for (const userId of new Set(mine.map((e) => e.userId))) {
        if (reported.has(userId)) continue;
        reported.add(userId);
        own.push(...(derived.get(userId) ?? []));
      }
      return { accepted: mine.map((e) => e.messageId), duplicates, events: mine, derived: own };
    });
  }

  /**
   * Applies each user's events: a user with a running turn on their own (see `applyToUser`),
   * the others together, in one write. Returns the users whose write failed, with the error.
   */
  private async applyAll(byUser: ReadonlyMap<string, AttuneEvent[]>, derived: Map<string, AttuneEvent[]>): Promise<Map<string, unknown>> {
    const running: [string, AttuneEvent[]][] = [];
    const stored: [string, AttuneEvent[]][] = [];
    for (const entry of byUser) (this.deps.turns.runningProfile(entry[0]) ? running : stored).push(entry);
    const derivedOf = (userId: string) => {
      let list = derived.get(userId);
      if (!list) derived.set(userId, (list = []));
      return list;
    };
    const failures = new Map<string, unknown>();
    const alone = Promise.allSettled(running.map(([userId, list]) => this.applyToUser(userId, list, derivedOf(userId))));
    const together = stored.length ? this.applyStoredTogether(stored, derivedOf).then(() => undefined, (err: unknown) => err) : Promise.resolve(undefined);
    const [results, groupError] = await Promise.all([alone, together]);
    results.forEach((r, i) => r.status === 'rejected' && failures.set(running[i][0], r.reason));
    if (groupError !== undefined) for (const [userId] of stored) failures.set(userId, groupError);
    return failures;
  }

  /**
   * Read-modify-write of several stored users under all their locks (taken in one order, as
   * identity merges take theirs, so that no two holders wait on each other), in one write.
   */
  private async applyStoredTogether(users: readonly [string, AttuneEvent[]][], derivedOf: (userId: string) => AttuneEvent[]): Promise<void> {
    const { store, rules, turns } = this.deps;
    const ids = users.map(([userId]) => userId).sort();
    const locked = ids.reduceRight<() => Promise<void>>(
      (inner, userId) => () => turns.lock.run(userId, inner),
      async () => {
        // An erasure under way wins over events that passed the suppression check before it.
        const live = users.filter(([userId]) => !turns.isErasing(userId));
        const snaps = await Promise.all(live.map(([userId]) => store.readUser(userId)));
        const batch: Required<WriteBatch> = { events: [], profiles: [], sessions: [], memberships: [], counters: [] };
        const derivedNow: [string, AttuneEvent][] = [];
        live.forEach(([userId, events], i) => {
          const change = applyEventsToUser({ userId, profile: snaps[i].profile, segments: snaps[i].segments }, events, rules);
          const part = userBatch(userId, change);
          for (const k of BATCH_PARTS) (batch[k] as unknown[]).push(...(part[k] ?? []));
          for (const e of change.log) if (!events.includes(e)) derivedNow.push([userId, e]);
        });
        await store.write(batch);
        for (const [userId, e] of derivedNow) derivedOf(userId).push(e);
      },
    );
    await locked();
  }

  /**
   * Merges anonymous visitors into the users they turned out to be: an `identify` carrying
   * both ids, or an `alias` from `previousId`. A failed merge is logged; the events still
   * apply (the visitor's data stays where it was, and the next identify merges it).
   */
  private async resolveIdentities(events: readonly AttuneEvent[]): Promise<void> {
    for (const e of events) {
      const from = e.type === 'alias' ? e.previousId : e.type === 'identify' ? e.anonymousId : undefined;
      if (!from || from === e.userId) continue;
      try {
        await this.merger.merge(from, e.userId);
      } catch (err) {
        this.deps.logger.error({ err, userId: e.userId }, 'attune: could not merge an anonymous visitor into the user');
      }
    }
  }

  private async release(messageIds: string[]): Promise<void> {
    if (!messageIds.length) return;
    await this.deps.store.release(messageIds).catch((err: unknown) => {
      // Then the retry is dropped as a duplicate until the de-duplication window ends.
      this.deps.logger.error({ err, count: messageIds.length }, 'attune: could not release the claims of events that were not stored');
    });
  }

  private redact(e: AttuneEvent): AttuneEvent {
    const { redactor } = this.deps;
    const out = { ...e, properties: redactor.redactValue(e.properties), traits: redactor.redactValue(e.traits), context: redactor.redactValue(e.context) };
    // Names are free text too: `Viewed ann@example.com's wishlist` is a real tracking call.
    if (e.event !== undefined) out.event = redactor.redactText(e.event);
    if (e.name !== undefined) out.name = redactor.redactText(e.name);
    return out;
  }

  private async applyToUser(userId: string, events: AttuneEvent[], derived: AttuneEvent[]): Promise<void> {
    const { store, rules, turns } = this.deps;
    const running = turns.runningProfile(userId);
    if (running) {
      // The running turn owns this user's profile until it commits, but its write comes after
      // the bot has answered and may fail: the events themselves are stored now, before they
      // are acknowledged, and only their effect on the profile joins the turn.
      const change = applyEventsToUser({ userId, profile: running, segments: [] }, events, rules, { segment: false });
      await store.write({ events: change.log, counters: change.counters });
      const joined = turns.joinRunning(userId, (current) => applyEventsToUser({ userId, profile: current, segments: [] }, events, rules, { segment: false }).profile ?? current);
      if (joined) return;
      // The turn was written meanwhile: apply the profile part on its own, the events once only.
      return this.applyStored(userId, events, false, derived);
    }
    return this.applyStored(userId, events, true, derived);
  }

  /** Read-modify-write of the stored user under the user's lock, in one write. */
  private async applyStored(userId: string, events: AttuneEvent[], logEvents: boolean, derived: AttuneEvent[]): Promise<void> {
    const { store, rules, turns } = this.deps;
    await turns.lock.run(userId, async () => {
      // An erasure under way here wins over events that passed the suppression check before it.
      if (turns.isErasing(userId)) return;
      const snap = await store.readUser(userId);
      const change = applyEventsToUser({ userId, profile: snap.profile, segments: snap.segments }, events, rules);
      if (!logEvents) {
        change.log = change.log.filter((e) => !events.includes(e));
        change.counters = [];
      }
      await store.write(userBatch(userId, change));
      for (const e of change.log) if (!events.includes(e)) derived.push(e);
    });
  }
}

/** The parts of a write batch, each a list that batches of several users are joined on. */
const BATCH_PARTS = ['events', 'profiles', 'sessions', 'memberships', 'counters'] as const satisfies readonly (keyof WriteBatch)[];

/** The Segment calls, typed for callers in code. */
export type TrackInput = Omit<Extract<EventInput, { type: 'track' }>, 'type'> & { type?: 'track' };
/** The Segment `identify` call, typed for callers in code. */
export type IdentifyInput = Omit<Extract<EventInput, { type: 'identify' }>, 'type'> & { type?: 'identify' };
