import { type FeatureDims, type Features, hashed, jointDims, jointVector } from './features';
import type { ArmView } from './policy';
import { type RidgeJson, RidgeRegression } from './ridge';

/**
 * What a rank policy has learned: its ridge model(s) and its apprentice tally. Pure: it only
 * changes when given a reward or a decision, so replicas that fold the same events agree.
 */

/** One shared model over context × action features, or one model per action id. */
export type ModelScope = 'shared' | 'per-action';

/** The stored form of a {@link Learner}. */
export interface LearnerJson {
  scope: ModelScope;
  dims: FeatureDims;
  models: Record<string, RidgeJson>;
  rewards: number;
  apprentice: { decisions: number; agreements: number };
}

const SHARED = '*';

/** A candidate action as the learner sees it. */
export interface ActionFeatures {
  id: string;
  features?: Features;
}

/** The models of one rank policy. */
export class Learner {
  readonly scope: ModelScope;
  readonly dims: FeatureDims;
  /** Rewards folded in. */
  rewards = 0;
  /** Apprentice decisions seen, and how many of them the learned policy agreed with the baseline on. */
  readonly apprentice = { decisions: 0, agreements: 0 };
  private readonly models = new Map<string, RidgeRegression>();

  constructor(scope: ModelScope, dims: FeatureDims) {
    this.scope = scope;
    this.dims = dims;
  }

  /** The arms a policy decides among, for a context and its candidate actions. */
  arms(context: Features | undefined, actions: readonly ActionFeatures[]): ArmView[] {
    const c = hashed(context, this.dims.context);
    return actions.map((a) => ({ model: this.model(a.id), x: jointVector(c, hashed(a.features, this.dims.action)) }));
  }

  /** Folds in one reward for the action played in a context. */
  learn(context: Features | undefined, action: ActionFeatures, reward: number): void {
    const [arm] = this.arms(context, [action]);
    arm.model.observe(arm.x, reward);
    this.rewards++;
  }

  /** Counts one apprentice decision. */
  tally(agrees: boolean): void {
    this.apprentice.decisions++;
    if (agrees) this.apprentice.agreements++;
  }

  private model(actionId: string): RidgeRegression {
    const key = this.scope === 'shared' ? SHARED : actionId;
    let m = this.models.get(key);
    if (!m) {
      m = new RidgeRegression(jointDims(this.dims));
      this.models.set(key, m);
    }
    return m;
  }

  /** The stored form. */
  toJSON(): LearnerJson {
    return {
      scope: this.scope,
      dims: { ...this.dims },
      models: Object.fromEntries([...this.models].map(([k, m]) => [k, m.toJSON()])),
      rewards: this.rewards,
      apprentice: { ...this.apprentice },
    };
  }

  /** A learner back from its stored form; undefined when it was saved with other settings. */
  static fromJSON(json: LearnerJson, scope: ModelScope, dims: FeatureDims): Learner | undefined {
    if (json.scope !== scope || json.dims.context !== dims.context || json.dims.action !== dims.action) return undefined;
    const l = new Learner(scope, dims);
    for (const [k, m] of Object.entries(json.models)) l.models.set(k, RidgeRegression.fromJSON(m));
    l.rewards = json.rewards;
    l.apprentice.decisions = json.apprentice.decisions;
    l.apprentice.agreements = json.apprentice.agreements;
    return l;
  }
}
