/**
 * Which experiments a user is in on a turn, and in which variant: the running experiments
 * (status and dates), their targeting by segment, and the sticky assignment (`assign`) against
 * what is stored with the user. Pure: the stage stores what this returns.
 */

import type { StoredAssignment } from '../core/profile';
import { assign } from './assign';
import { type Experiment, toAssignable, type Variant } from './definition';

/** An experiment as the turn runs it: the definition and the weights in force now. */
export interface RunnableExperiment {
  readonly experiment: Experiment;
  /** The configured weights, or a bandit's latest allocation. */
  readonly weights: readonly number[];
}

/** The user's place in one experiment on this turn. */
export interface Enrolment {
  readonly experiment: Experiment;
  readonly variant: Variant;
  /** What to store with the user (unchanged when `changed` is false). */
  readonly assignment: StoredAssignment;
  /** True when `assignment` differs from what was stored: the profile must be written. */
  readonly changed: boolean;
  /** True when the user has not been exposed under this assignment yet: log `Experiment Viewed`. */
  readonly firstExposure: boolean;
}

/** What {@link enroll} reads about the user. */
export interface EnrolInput {
  userId: string;
  segments: readonly string[];
  /** Epoch ms. */
  now: number;
  stored?: Readonly<Record<string, StoredAssignment>>;
}

/** Whether an experiment runs at `now` (epoch ms): status `running`, and within its dates. */
export function isRunning(e: Experiment, now: number): boolean {
  if (e.status !== 'running') return false;
  if (e.start !== undefined && now < Date.parse(e.start)) return false;
  if (e.end !== undefined && now >= Date.parse(e.end)) return false;
  return true;
}

/** Whether the user's segments let them enter: in one of `segments` (if given), in none of `excludeSegments`. */
export function isTargeted(e: Experiment, segments: readonly string[]): boolean {
  const t = e.targeting;
  if (!t) return true;
  if (t.excludeSegments?.some((s) => segments.includes(s))) return false;
  if (t.segments?.length && !t.segments.some((s) => segments.includes(s))) return false;
  return true;
}

/**
 * The user's enrolments, in the order of `experiments`.
 *
 * An enrolled user keeps their variant even when they leave the targeted segments or the
 * weights change: targeting decides who enters, and a user who switched treatment mid-way
 * would blur the comparison. Only a bucket version bump reshuffles (see `assign`).
 *
 * ```ts
 * const mine = enroll(registry.runnable, { userId, segments: p.segments, now: Date.now(), stored: p.profile.experiments });
 * ```
 */
export function enroll(experiments: readonly RunnableExperiment[], input: EnrolInput): Enrolment[] {
  const out: Enrolment[] = [];
  const at = new Date(input.now).toISOString();
  for (const { experiment, weights } of experiments) {
    if (!isRunning(experiment, input.now)) continue;
    const stored = input.stored && Object.hasOwn(input.stored, experiment.id) ? input.stored[experiment.id] : undefined;
    if (!stored && !isTargeted(experiment, input.segments)) continue;
    const a = assign(toAssignable(experiment, weights), input.userId, stored);
    if (!a.inExperiment) continue;
    const keep = stored !== undefined && stored.variant === a.variant && stored.bucketVersion === a.bucketVersion;
    const assignment: StoredAssignment = keep ? stored : { variant: a.variant, bucketVersion: a.bucketVersion, assignedAt: at };
    out.push({ experiment, variant: experiment.variants[a.index], assignment, changed: !keep, firstExposure: assignment.exposedAt === undefined });
  }
  return out;
}
