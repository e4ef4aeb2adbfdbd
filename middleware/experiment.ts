import { createHash } from 'node:crypto';
import type { AttuneEvent } from '../src/core/event';
import type { Personalization, TurnOverrides } from '../src/core/personalization';
import type { StoredAssignment } from '../src/core/profile';
import { defineEffect } from '../src/engine/effects';
import type { Stage } from '../src/engine/turn-runner';
import { enroll, type Enrolment } from '../src/experiments/enroll';
import { EXPOSURE_EVENT } from '../src/experiments/metrics';
import { armCounter, type ExperimentRegistry } from '../src/experiments/registry';

/** Segment's standard event name for an exposure (the one the results read). */
export const EXPERIMENT_VIEWED = EXPOSURE_EVENT;

/** What the experiment stage adds to the turn: the user's variants and what they override. */
export type ExperimentsFlavor = Pick<Personalization, 'variant' | 'experiments' | 'overrides'>;

/** Options of {@link experiments}. */
export interface ExperimentStageOptions {
  /** The experiments to run (default: the engine's, from its `experiments` option and REST). */
  registry?: ExperimentRegistry;
}

/**
 * Exposures are written apart from the turn's batch, behind a claim of a message id made from
 * the user, the experiment and the bucket version: two turns of one user racing on two replicas
 * both see no `exposedAt`, and the claim lets only one of them log the exposure and count it.
 */
const exposure = defineEffect<{ event: AttuneEvent; experimentId: string; variant: string }>('experiment-exposure', async (_userId, values, store) => {
  const fresh = await store.claim(values.map((v) => v.event.messageId));
  const kept = values.filter((_, i) => fresh[i]);
  if (!kept.length) return;
  try {
    await store.write({ events: kept.map((v) => v.event), counters: kept.map((v) => ({ name: armCounter(v.experimentId), increments: { [`${v.variant}:exposures`]: 1 } })) });
  } catch (err) {
    // Give the claims back, so that the user's next turn logs the exposure instead.
    await store.release(kept.map((v) => v.event.messageId));
    throw err;
  }
});

/**
 * Puts the user in the running experiments they are eligible for (dates, status, targeting by
 * segment, coverage, namespaces), sticky across turns and replicas: assignments are stored with
 * the profile, so export, erase and identity merges cover them. Sets `variant` (the first
 * experiment's), `experiments` and the merged `overrides`, which the recommend and tone stages
 * honour and the bot reads (`overrides.message`). The first time a user sees an experiment, a
 * Segment `Experiment Viewed` event (`experiment_id`, `variation_id`) is logged, once.
 *
 * Users without consent to personalization are in no experiment: their assignment would be
 * personal data kept about them. Place it after the segment stage (targeting reads segments)
 * and before recommend and tone.
 *
 * ```ts
 * attune.use(segmentMembership(), experiments(), recommendations(), tone());
 * ```
 */
export function experiments(options: ExperimentStageOptions = {}): Stage<ExperimentsFlavor> {
  return async function experimentStage(ctx, next) {
    if (!ctx.degraded && ctx.allows('personalization')) {
      try {
        const registry = options.registry ?? ctx.services.experiments;
        const runnable = await registry.runnable();
        if (runnable.length) {
          const p = ctx.personalization;
          const mine = enroll(runnable, { userId: ctx.turn.userId, segments: p.segments, now: ctx.services.clock(), stored: p.profile.experiments });
          if (mine.length) apply(ctx, mine);
        }
      } catch (err) {
        ctx.services.logger.warn({ err }, 'attune: experiments could not be applied; the turn runs without them');
      }
    }
    await next();
  };
}

type Ctx = Parameters<Stage<ExperimentsFlavor>>[0];

function apply(ctx: Ctx, mine: readonly Enrolment[]): void {
  const p = ctx.personalization;
  const { turn } = ctx;
  p.experiments = mine.map((m) => ({ id: m.experiment.id, variant: m.variant.id, overrides: m.variant.overrides }));
  p.variant = mine[0].variant.id;
  p.overrides = mergeOverrides(mine.map((m) => m.variant.overrides));
  const logs = ctx.allows('analytics');
  const now = ctx.now();
  let changed: Record<string, StoredAssignment> | undefined;
  for (const m of mine) {
    const expose = m.firstExposure && logs;
    if (!m.changed && !expose) continue;
    changed ??= { ...p.profile.experiments };
    changed[m.experiment.id] = expose ? { ...m.assignment, exposedAt: now } : m.assignment;
    if (!expose) continue;
    const event: AttuneEvent = {
      type: 'track',
      messageId: exposureId(turn.userId, m.experiment.id, m.assignment.bucketVersion),
      userId: turn.userId,
      event: EXPERIMENT_VIEWED,
      properties: {
        experiment_id: m.experiment.id,
        variation_id: m.variant.id,
        ...(m.experiment.name ? { experiment_name: m.experiment.name } : {}),
        bucket_version: m.assignment.bucketVersion,
        sessionId: turn.sessionId,
      },
      traits: {},
      context: { channel: turn.channel },
      // At the turn's own time, so the turn's own message falls inside the attribution window.
      timestamp: turn.timestamp,
      receivedAt: now,
    };
    ctx.effects.add(exposure, { event, experimentId: m.experiment.id, variant: m.variant.id });
  }
  if (changed) ctx.effects.profile({ ...p.profile, experiments: changed });
}

/** The first experiment that sets a field wins (experiments in one namespace never overlap). */
function mergeOverrides(list: readonly TurnOverrides[]): TurnOverrides {
  const out: TurnOverrides = {};
  for (let i = list.length - 1; i >= 0; i--) Object.assign(out, list[i]);
  return out;
}

/** A message id that names no user: a digest, since de-duplication claims outlive an erasure. */
function exposureId(userId: string, experimentId: string, bucketVersion: number): string {
  return `exposure-${createHash('sha256').update(`${userId}\n${experimentId}\n${bucketVersion}`).digest('hex').slice(0, 40)}`;
}

/**
 * The overrides of the user's experiments on this turn, for stages that honour them (an
 * empty object outside experiments).
 *
 * ```ts
 * const k = overridesFor(ctx.personalization).k ?? options.k ?? 5;
 * ```
 */
export function overridesFor(p: Pick<Personalization, 'overrides'>): Readonly<TurnOverrides> {
  return p.overrides ?? NO_OVERRIDES;
}

const NO_OVERRIDES: Readonly<TurnOverrides> = Object.freeze({});
