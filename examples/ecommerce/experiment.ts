import { ExperimentSchema, type Experiment, type ExperimentInput } from '../../src/experiments/definition';
import definitions from './experiments.json';

/**
 * The case study's experiment, "personalized vs popular recommendations": half the shoppers
 * get what is popular (`overrides.policy: 'popular'`, which the recommend stage honours), half
 * what Attune learned about them. The engine's experiment stage assigns them (sticky, stored
 * with the user) and logs the exposure once; `attune experiments results recs-policy` and
 * `GET /v1/experiments/recs-policy/results` read how each arm did.
 */
export const shopExperimentInputs: readonly ExperimentInput[] = definitions.experiments as readonly ExperimentInput[];

/** The shop's experiments with their defaults filled in. */
export const shopExperiments: readonly Experiment[] = shopExperimentInputs.map((e) => ExperimentSchema.parse(e));
