import { randomUUID } from 'node:crypto';
import type { Personalization } from '../../src/core/personalization';
import type { Stage } from '../../src/engine/turn-runner';
import { assign } from '../../src/experiments/assign';
import { ExperimentSchema, toAssignable, type Experiment } from '../../src/experiments/definition';
import { EXPOSURE_EVENT } from '../../src/experiments/metrics';
import definitions from './experiments.json';

/**
 * The case study's experiment, "personalized vs popular recommendations": half the shoppers
 * get what is popular, half what Attune learned about them. `attune experiments results
 * recs-policy --definitions examples/ecommerce/experiments.json` reads how each arm did.
 */
export const shopExperiments: readonly Experiment[] = definitions.experiments.map((e) => ExperimentSchema.parse(e));

/**
 * Finds one of the shop's experiments by id (what `GET /v1/experiments/:id/results` needs).
 *
 * ```ts
 * createServer(attune, { apiKeys, experiments: findShopExperiment });
 * ```
 */
export async function findShopExperiment(id: string): Promise<Experiment | undefined> {
  return shopExperiments.find((e) => e.id === id);
}

/**
 * The recommendation policy of the turn's variant (`overrides.policy`), for the recommend
 * stage's `policyFor`: `popular` serves what is popular, whatever is known of the user.
 */
export function policyOfVariant(experiment: Experiment): (p: Personalization) => string | undefined {
  return (p) => experiment.variants.find((v) => v.id === p.variant)?.overrides.policy;
}

/** The most users whose exposure one process remembers; past it, a user may be logged twice (harmless: results take the first). */
const REMEMBERED = 100_000;

/**
 * A minimal assignment stage for the demo: hashes each user into a variant of `experiment`
 * (GrowthBook-compatible, so the split is stable across restarts), sets the turn's `variant`,
 * and logs an `Experiment Viewed` exposure the first time this process serves the user.
 * The engine's own experiment stage, with stored sticky assignments, replaces it.
 *
 * ```ts
 * attune.use(demoExperimentStage(shopExperiments[0]));
 * ```
 */
export function demoExperimentStage(experiment: Experiment): Stage {
  const definition = toAssignable(experiment);
  const exposed = new Set<string>();
  return async function demoExperiment(ctx, next) {
    const { turn } = ctx;
    const a = experiment.status === 'running' ? assign(definition, turn.userId) : undefined;
    if (a?.inExperiment) {
      ctx.personalization.variant = a.variant;
      if (!exposed.has(turn.userId) && ctx.allows('analytics')) {
        if (exposed.size >= REMEMBERED) exposed.clear();
        exposed.add(turn.userId);
        const now = ctx.now();
        // At the turn's own time: the turn's logged message is then inside the attribution window.
        ctx.log({
          type: 'track',
          messageId: randomUUID(),
          userId: turn.userId,
          event: EXPOSURE_EVENT,
          properties: { experiment_id: experiment.id, variation_id: a.variant, sessionId: turn.sessionId },
          traits: {},
          context: { channel: turn.channel },
          timestamp: turn.timestamp,
          receivedAt: now,
        });
      }
    }
    await next();
  };
}
