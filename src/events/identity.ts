import type { Store } from '../store/store';
import { emptyProfile } from '../core/profile';
import { mergeProfiles } from '../profiles/merge';
import { evaluateSegments, consentAllows, type UserRules } from './apply';
import type { RunningTurns } from './running-turns';

/** What a merge needs: the user roles, rights (to read and erase the anonymous side) and the lock. */
export interface IdentityDeps {
  store: Pick<Store, 'readUser' | 'write' | 'exportUser' | 'eraseUser'>;
  rules: UserRules;
  turns: Pick<RunningTurns, 'lock' | 'isErasing'>;
}

/**
 * Identity resolution as Segment does it: once an anonymous visitor is known to be a user
 * (`identify` carrying both `anonymousId` and `userId`, or `alias` from `previousId` to
 * `userId`), everything the anonymous id holds moves to the user: the profile is merged
 * (see `mergeProfiles`), its events are logged again under the user, its segments are
 * evaluated anew on the merged profile, and the anonymous records are erased. So the user's
 * history starts when the visitor's did, and erasing the user later erases it all.
 */
export class IdentityMerger {
  constructor(private readonly deps: IdentityDeps) {}

  /** Moves `fromId`'s data to `intoId` (both stored ids). Returns how many events moved. */
  async merge(fromId: string, intoId: string): Promise<{ events: number; merged: boolean }> {
    if (fromId === intoId) return { events: 0, merged: false };
    const { store, rules, turns } = this.deps;
    // Both users' locks, always taken in the same order, so two merges cannot wait on each other.
    const [first, second] = fromId < intoId ? [fromId, intoId] : [intoId, fromId];
    return turns.lock.run(first, () =>
      turns.lock.run(second, async () => {
        if (turns.isErasing(fromId) || turns.isErasing(intoId)) return { events: 0, merged: false };
        const held = await store.exportUser(fromId);
        if (!held.profile && !held.events.length) return { events: 0, merged: false };
        const into = await store.readUser(intoId);
        const events = held.events.map((e) => ({ ...e, userId: intoId }));
        const log = [...events];
        let profile = into.profile;
        let memberships: { userId: string; segments: string[] }[] = [];
        if (held.profile) {
          profile = mergeProfiles(into.profile, held.profile, intoId);
          if (consentAllows(profile, 'personalization', rules.consentPolicy)) {
            const m = evaluateSegments(profile, into.segments, rules, log);
            if (m.entered.length || m.exited.length) memberships = [{ userId: intoId, segments: m.segments }];
          } else {
            // Without consent to personalize only the (stricter) decision itself is kept.
            const bare = emptyProfile(intoId, profile.firstSeen);
            if (profile.consent) bare.consent = profile.consent;
            profile = bare;
            if (into.segments.length) memberships = [{ userId: intoId, segments: [] }];
          }
        }
        // Only what analytics consent (the stricter of the two) allows is logged under the user.
        const logged = consentAllows(profile, 'analytics', rules.consentPolicy) ? log : log.filter((e) => !events.includes(e));
        await store.write({ events: logged, profiles: profile ? [profile] : [], memberships });
        await store.eraseUser(fromId);
        return { events: events.length, merged: true };
      }),
    );
  }
}
