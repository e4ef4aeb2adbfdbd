import { z } from 'zod';
import type { Predictions, ToneName } from '../core/personalization';
import type { Profile } from '../core/profile';
import { ValidationError } from '../core/errors';
import { parse } from '../core/validate';
import type { LiveSegmentation } from './discover/artifact';
import { NearestCentroid } from './discover/live';
import { evaluateRule, type RuleFacts, RuleSchema, usesPredictions } from './rule';

/** A user's propensity predictions at a time, for prediction rules (undefined: none). */
export type Predictor = (profile: Profile, nowMs: number) => Predictions | undefined;

/** A segment as configured: a rule, and optionally the tone its members are spoken to in. */
export const SegmentDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'segment ids are lower-case letters, digits, - and _'),
  name: z.string().optional(),
  description: z.string().optional(),
  rule: RuleSchema,
  tone: z.enum(['neutral', 'formal', 'friendly', 'concise', 'empathetic']).optional(),
  /** When several segments set a tone, the highest priority wins (default 0). */
  priority: z.number().default(0),
});
/** A segment definition (input form: `priority` optional). */
export type SegmentDefinition = z.input<typeof SegmentDefinitionSchema>;

/** Result of evaluating every segment for one user. */
export interface Membership {
  segments: string[];
  entered: string[];
  exited: string[];
}

/** A few segments every shop bot wants; pass `segments: []` to start from nothing. */
export const DEFAULT_SEGMENTS: SegmentDefinition[] = [
  { id: 'new-visitors', name: 'New visitors', rule: { all: [{ field: 'counts.turns', op: 'lte', value: 1 }, { field: 'orders', op: 'eq', value: 0 }] }, tone: 'friendly', priority: 10 },
  { id: 'recent-buyers', name: 'Recent buyers', rule: { event: 'Order Completed', within: '7d' }, tone: 'friendly', priority: 5 },
  { id: 'big-spenders', name: 'Big spenders', rule: { field: 'revenue', op: 'gte', value: 500 }, tone: 'formal', priority: 20 },
  { id: 'window-shoppers', name: 'Window shoppers', rule: { all: [{ event: 'Product Viewed', within: '30d', min: 3 }, { field: 'orders', op: 'eq', value: 0 }] } },
];

/**
 * The configured segments, validated once. Evaluation is pure: profile in, memberships out.
 *
 * ```ts
 * const segments = new Segments(DEFAULT_SEGMENTS);
 * const { segments: now, entered } = segments.evaluate(profile, previous, Date.now());
 * ```
 */
export class Segments {
  /** Validated definitions, in configuration order. */
  readonly definitions: readonly z.output<typeof SegmentDefinitionSchema>[];

  private discovered?: NearestCentroid;
  private readonly predictor?: Predictor;

  /**
   * `predict` serves prediction rules (`{ prediction: 'purchase', gte: 0.7 }`) on turns and
   * ingestion alike; it is called only when some definition has one.
   */
  constructor(definitions: readonly SegmentDefinition[] = DEFAULT_SEGMENTS, options: { discovered?: LiveSegmentation; predict?: Predictor } = {}) {
    this.definitions = parse(z.array(SegmentDefinitionSchema), definitions, 'segments');
    if (options.predict && this.definitions.some((d) => usesPredictions(d.rule))) this.predictor = options.predict;
    const ids = new Set<string>();
    this.definitions.forEach((d, i) => {
      if (ids.has(d.id)) throw new ValidationError('invalid segments', [{ path: [i, 'id'], message: 'duplicate segment id' }]);
      ids.add(d.id);
    });
    if (options.discovered) this.useDiscovered(options.discovered);
  }

  /**
   * Serves an accepted segmentation beside the rules (or none, with undefined): from the next
   * evaluation on, each user is also in the discovered segment of the nearest centroid, with
   * entries and exits as for rule segments. Its ids must differ from the rules' ids.
   */
  useDiscovered(live: LiveSegmentation | undefined): void {
    if (!live) {
      this.discovered = undefined;
      return;
    }
    const clash = live.segments.find((s) => this.definitions.some((d) => d.id === s.id));
    if (clash) throw new ValidationError('invalid segments', [{ path: ['discovered', clash.id], message: 'a rule segment has this id' }]);
    this.discovered = new NearestCentroid(live);
  }

  /** Which segments the profile is in now, and what changed since `previous`. */
  evaluate(profile: Profile, previous: readonly string[], nowMs: number): Membership {
    const facts = this.factsFor(profile, nowMs);
    const segments = this.definitions.filter((d) => evaluateRule(d.rule, profile, nowMs, facts)).map((d) => d.id);
    const nearest = this.discovered?.assign(profile, nowMs);
    if (nearest) segments.push(nearest);
    segments.sort();
    const before = new Set(previous);
    const after = new Set(segments);
    return {
      segments,
      entered: segments.filter((s) => !before.has(s)),
      // Memberships of segments no longer configured are dropped too.
      exited: [...before].filter((s) => !after.has(s)).sort(),
    };
  }

  /** Facts for prediction rules, the prediction made once per evaluation and only when read. */
  private factsFor(profile: Profile, nowMs: number): RuleFacts {
    const predictor = this.predictor;
    if (!predictor) return {};
    let done = false;
    let value: Predictions | undefined;
    return {
      get predictions() {
        if (!done) {
          done = true;
          value = predictor(profile, nowMs);
        }
        return value;
      },
    };
  }

  /** The tone of the highest-priority segment among `segments` that sets one. */
  toneFor(segments: readonly string[]): ToneName | undefined {
    const member = new Set(segments);
    let best: { tone: ToneName; priority: number } | undefined;
    for (const d of this.definitions) {
      if (d.tone && member.has(d.id) && (!best || d.priority > best.priority)) best = { tone: d.tone, priority: d.priority };
    }
    return best?.tone;
  }
}
