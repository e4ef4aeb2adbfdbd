import type { RecommendFilter } from '../core/filter';
import type { OnboardingState, Profile } from '../core/profile';
import type { Session } from '../core/session';

export type { OnboardingState } from '../core/profile';

/**
 * Where a user is in onboarding. The long-term part lives in the profile (`profile.onboarding`:
 * answered, completed or skipped is remembered across sessions, exported and erased with the
 * profile); what was asked in this session lives in the session's slots, so the flow pauses
 * for the rest of a session the user did not answer in. Both are written through effects.
 */

/** The slot of the session that holds {@link OnboardingSlot}. */
export const ONBOARDING_SLOT = 'attune.onboarding';

/** What the flow did in the current session. */
export interface OnboardingSlot {
  /** The question asked last in this session, not answered yet. */
  asked?: string;
  /** The user went past a question: nothing more is asked in this session. */
  paused?: boolean;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const bound = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/**
 * The profile's onboarding state, checked: a record of another shape (a hand edit, an older
 * version) reads as a finished flow, so that a user is never asked again because of it.
 */
export function onboardingOf(profile: Pick<Profile, 'onboarding'>): OnboardingState | undefined {
  const raw: unknown = profile.onboarding;
  if (raw === undefined) return undefined;
  if (
    isPlain(raw) &&
    typeof raw.flow === 'string' &&
    (raw.status === 'active' || raw.status === 'completed' || raw.status === 'skipped') &&
    isPlain(raw.answers) &&
    Object.values(raw.answers).every((a) => typeof a === 'string') &&
    typeof raw.sessions === 'number' &&
    typeof raw.at === 'string' &&
    (raw.budget === undefined || (isPlain(raw.budget) && bound(raw.budget.minPrice) && bound(raw.budget.maxPrice))) &&
    (raw.audience === undefined || typeof raw.audience === 'string')
  ) {
    return raw as unknown as OnboardingState;
  }
  return { flow: 'unreadable', status: 'completed', answers: {}, sessions: 0, at: new Date(0).toISOString() };
}

/** The session's onboarding slot (an unreadable one reads as none). */
export function onboardingSlotOf(session: Pick<Session, 'slots'>): OnboardingSlot | undefined {
  const raw = session.slots[ONBOARDING_SLOT];
  if (!isPlain(raw)) return undefined;
  const out: OnboardingSlot = {};
  if (typeof raw.asked === 'string') out.asked = raw.asked;
  if (raw.paused === true) out.paused = true;
  return out;
}

/**
 * The default filter of a user's recommendations: the budget answered in onboarding, if any.
 *
 * ```ts
 * service.recommend({ ...request, filter: withDefaultFilter(onboardingFilter(profile), request.filter) });
 * ```
 */
export function onboardingFilter(profile: Pick<Profile, 'onboarding'> | null | undefined): RecommendFilter | undefined {
  if (!profile?.onboarding) return undefined;
  const budget = onboardingOf(profile)?.budget;
  if (!budget || (budget.maxPrice === undefined && budget.minPrice === undefined)) return undefined;
  const out: RecommendFilter = {};
  if (budget.maxPrice !== undefined) out.maxPrice = budget.maxPrice;
  if (budget.minPrice !== undefined) out.minPrice = budget.minPrice;
  return out;
}
