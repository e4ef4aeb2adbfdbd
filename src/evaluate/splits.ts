/**
 * Train/test splits of an interaction log. Every split is pure (the input is never changed, each
 * part keeps the input's order) and random ones are deterministic under their seed.
 */
import type { Interaction } from '../recommend/recommender';
import { ConfigError } from '../core/errors';
import { mulberry32, shuffle, type Rng } from './random';

/** A training part and a held-out part; no interaction is in both. */
export interface Split {
  train: Interaction[];
  test: Interaction[];
}

/** Train, validation (for tuning) and test parts. */
export interface ThreeWaySplit extends Split {
  validation: Interaction[];
}

/** Which id a stratified split keeps its proportions within. */
export type StratifyBy = 'user' | 'item';

/** Options of {@link stratifiedSplit}. */
export interface StratifiedOptions {
  /** Share of each group that goes to train (default 0.75). */
  ratio?: number;
  /** Keep the ratio within each user's or each item's interactions (default `user`). */
  by?: StratifyBy;
  /** Seed of the shuffle (default 42). */
  seed?: number;
}

/** Default seed of every random split, the one Microsoft Recommenders uses. */
export const DEFAULT_SEED = 42;

/**
 * Random split that holds the train ratio within every user's (or every item's) interactions.
 *
 * This follows Microsoft Recommenders' `python_stratified_split`, so figures can stand beside
 * theirs: inside each group the rows are put in random order, row number r of n gets the
 * fraction r/n, and the row goes to train when r/n ≤ ratio. A group of n rows thus gives
 * ⌊ratio·n⌋ rows to train and the rest to test; in particular a group of one row goes wholly to
 * test (with `by: 'item'` an item seen once can never be recommended, exactly as in theirs).
 *
 * ```ts
 * const { train, test } = stratifiedSplit(interactions, { ratio: 0.75, by: 'item', seed: 42 });
 * ```
 */
export function stratifiedSplit(data: readonly Interaction[], options: StratifiedOptions = {}): Split {
  const ratio = options.ratio ?? 0.75;
  checkRatios([ratio, 1 - ratio]);
  const parts = splitByRank(data, [ratio, 1 - ratio], keyOf(options.by ?? 'user'), randomOrder(options.seed));
  return { train: parts[0], test: parts[1] };
}

/** Options of {@link trainValidationTest}. */
export interface ThreeWayOptions {
  /** Shares of train, validation and test (default 70/15/15); normalized if they do not sum to 1. */
  ratios?: readonly [number, number, number];
  by?: StratifyBy;
  seed?: number;
}

/**
 * Stratified train/validation/test split (70/15/15 by default): tune on validation, report on test.
 *
 * ```ts
 * const { train, validation, test } = trainValidationTest(interactions, { seed: 1 });
 * ```
 */
export function trainValidationTest(data: readonly Interaction[], options: ThreeWayOptions = {}): ThreeWaySplit {
  const ratios = normalize(options.ratios ?? [0.7, 0.15, 0.15]);
  const parts = splitByRank(data, ratios, keyOf(options.by ?? 'user'), randomOrder(options.seed));
  return { train: parts[0], validation: parts[1], test: parts[2] };
}

/** Options of {@link temporalSplit}. */
export interface TemporalOptions {
  /** Share that goes to train, the oldest part (default 0.75). */
  ratio?: number;
  /**
   * `user` (default): each user's oldest interactions train, their newest test, so every test
   * user is known. `global`: one cut-off time for everybody, the honest "predict the future"
   * protocol, but users who arrive after the cut-off are cold.
   */
  scope?: 'user' | 'global';
}

/**
 * Chronological split: the past trains, the future tests. Ties in time keep input order.
 *
 * ```ts
 * const { train, test } = temporalSplit(interactions, { ratio: 0.8, scope: 'global' });
 * ```
 */
export function temporalSplit(data: readonly Interaction[], options: TemporalOptions = {}): Split {
  const ratio = options.ratio ?? 0.75;
  checkRatios([ratio, 1 - ratio]);
  if (options.scope === 'global') {
    const order = chronological(data.map((_, i) => i), data);
    const cut = Math.floor(ratio * data.length);
    const inTest = new Uint8Array(data.length);
    for (let r = cut; r < order.length; r++) inTest[order[r]] = 1;
    return toSplit(data, inTest);
  }
  const parts = splitByRank(data, [ratio, 1 - ratio], keyOf('user'), (members) => chronological(members, data));
  return { train: parts[0], test: parts[1] };
}

/**
 * Leave-last-out: each user's `n` newest interactions are the test part (users with no more than
 * `n` interactions stay wholly in train, so nobody is tested without history).
 *
 * ```ts
 * const { train, test } = leaveLastOut(interactions); // one test interaction per user
 * ```
 */
export function leaveLastOut(data: readonly Interaction[], n = 1): Split {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`leave-last-out needs n ≥ 1, got ${n}`);
  const inTest = new Uint8Array(data.length);
  for (const members of groups(data, keyOf('user')).values()) {
    if (members.length <= n) continue;
    const ordered = chronological(members, data);
    for (let r = ordered.length - n; r < ordered.length; r++) inTest[ordered[r]] = 1;
  }
  return toSplit(data, inTest);
}

/** Options of {@link kFold}. */
export interface KFoldOptions {
  /** Number of folds (default 5). */
  folds?: number;
  /** Deal each user's (or item's) interactions evenly across folds (default `user`). */
  by?: StratifyBy;
  seed?: number;
}

/**
 * k-fold cross-validation: the interactions are dealt into `folds` disjoint parts, each user's
 * spread evenly; fold i tests on part i and trains on the others. Every interaction is tested
 * exactly once across the folds.
 *
 * ```ts
 * for (const { train, test } of kFold(interactions, { folds: 5, seed: 42 })) { ... }
 * ```
 */
export function kFold(data: readonly Interaction[], options: KFoldOptions = {}): Split[] {
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new ConfigError(`k-fold needs at least 2 folds, got ${folds}`);
  const rng = mulberry32(options.seed ?? DEFAULT_SEED);
  const foldOf = new Uint16Array(data.length);
  for (const members of groups(data, keyOf(options.by ?? 'user')).values()) {
    shuffle(members, rng);
    // A random starting fold per group keeps fold sizes even: otherwise fold 0 would collect
    // the first row of every small group.
    const offset = Math.floor(rng() * folds);
    members.forEach((row, r) => (foldOf[row] = (offset + r) % folds));
  }
  return Array.from({ length: folds }, (_, f) => toSplit(data, foldOf.map((v) => (v === f ? 1 : 0))));
}

/** Puts a group's member rows in the order in which they are cut into parts. */
type Order = (members: number[]) => number[];

function randomOrder(seed: number | undefined): Order {
  const rng: Rng = mulberry32(seed ?? DEFAULT_SEED);
  return (members) => shuffle(members, rng);
}

function chronological(members: number[], data: readonly Interaction[]): number[] {
  return members.sort((a, b) => data[a].time - data[b].time || a - b);
}

function keyOf(by: StratifyBy): (x: Interaction) => string {
  return by === 'item' ? (x) => x.item : (x) => x.user;
}

/** Row indices grouped by key, groups in order of first appearance (so results are stable). */
function groups(data: readonly Interaction[], key: (x: Interaction) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  data.forEach((x, i) => {
    const k = key(x);
    const members = out.get(k);
    if (members) members.push(i);
    else out.set(k, [i]);
  });
  return out;
}

/** The rank-fraction cut of {@link stratifiedSplit}, for any number of parts. */
function splitByRank(
  data: readonly Interaction[],
  ratios: readonly number[],
  key: (x: Interaction) => string,
  order: Order,
): Interaction[][] {
  // A small tolerance so that 0.7 + 0.15 (0.8499999999999999 in binary) still admits r/n = 0.85.
  const thresholds: number[] = [];
  let sum = 0;
  for (const r of ratios) thresholds.push((sum += r) + 1e-9);
  thresholds[thresholds.length - 1] = Infinity;
  const partOf = new Uint8Array(data.length);
  for (const members of groups(data, key).values()) {
    const ordered = order(members);
    const n = ordered.length;
    let part = 0;
    for (let r = 0; r < n; r++) {
      while ((r + 1) / n > thresholds[part]) part++;
      partOf[ordered[r]] = part;
    }
  }
  const parts: Interaction[][] = ratios.map(() => []);
  data.forEach((x, i) => parts[partOf[i]].push(x));
  return parts;
}

function toSplit(data: readonly Interaction[], inTest: ArrayLike<number>): Split {
  const split: Split = { train: [], test: [] };
  data.forEach((x, i) => (inTest[i] ? split.test : split.train).push(x));
  return split;
}

function checkRatios(ratios: readonly number[]): void {
  if (!ratios.every((r) => Number.isFinite(r) && r > 0 && r < 1)) {
    throw new ConfigError(`split ratios must lie strictly between 0 and 1, got ${ratios.join(', ')}`);
  }
}

function normalize(ratios: readonly number[]): number[] {
  if (!ratios.every((r) => Number.isFinite(r) && r > 0)) {
    throw new ConfigError(`split ratios must be positive, got ${ratios.join(', ')}`);
  }
  const total = ratios.reduce((a, b) => a + b, 0);
  return ratios.map((r) => r / total);
}
