import type { Logger } from 'pino';
import { AttuneError, StoreError } from '../core/errors';
import { consentFromEvent } from '../privacy/consent';
import { type AttuneEvent, type EventInput, normalizeBatch, normalizeEvent } from '../core/event';
import type { Pseudonymizer } from '../privacy/pseudonymizer';
import type { Redactor } from '../privacy/redact';
import type { EventLog, SuppressionList, UserStore, Store } from '../store/store';
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
 */
export class Ingestor {
  private readonly merger: IdentityMerger;

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
    const { store, ids, quality } = this.deps;
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
    const accepted: AttuneEvent[] = [];
    const duplicates: string[] = [];
    // An erased user's late events are dropped, and reported as neither accepted nor duplicate.
    events.forEach((e, i) => (suppressed[i] ? undefined : fresh[i] ? accepted.push(this.redact(e)) : duplicates.push(e.messageId)));
    const byUser = new Map<string, AttuneEvent[]>();
    for (const e of accepted) {
      const list = byUser.get(e.userId);
      if (list) list.push(e);
      else byUser.set(e.userId, [e]);
    }
    // Identity first: a visitor's history joins the user before the user's own events apply.
    await this.resolveIdentities(accepted);
    const users = [...byUser];
    const derived: AttuneEvent[] = [];
    const results = await Promise.allSettled(users.map(([userId, list]) => this.applyToUser(userId, list, derived)));
    const failed = users.filter((_, i) => results[i].status === 'rejected');
    if (failed.length) {
      // Users whose write went through keep their claims (a retry is rightly a duplicate);
      // the others are released, so the retry is accepted. The request fails as a whole.
      await this.release(failed.flatMap(([, list]) => list.map((e) => e.messageId)));
      const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      throw first?.reason instanceof AttuneError ? first.reason : new StoreError('could not store the events', first?.reason);
    }
    return { accepted: accepted.map((e) => e.messageId), duplicates, events: accepted, derived };
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

/** The Segment calls, typed for callers in code. */
export type TrackInput = Omit<Extract<EventInput, { type: 'track' }>, 'type'> & { type?: 'track' };
/** The Segment `identify` call, typed for callers in code. */
export type IdentifyInput = Omit<Extract<EventInput, { type: 'identify' }>, 'type'> & { type?: 'identify' };
