/**
 * Named evaluation protocols: how a log is cut into train and test parts for a comparison. The
 * CLI's `--split` and the benchmark pick one by name.
 */
import type { Interaction } from '../recommend/recommender';
import { DEFAULT_SEED, kFold, leaveLastOut, stratifiedSplit, temporalSplit, type Split } from './splits';

/** The protocols, by the name `--split` takes. */
export type Protocol = 'msr' | 'user' | 'temporal' | 'loo' | 'kfold';

/** Every protocol, in help order. */
export const PROTOCOLS: readonly Protocol[] = ['msr', 'user', 'temporal', 'loo', 'kfold'];

/** What each protocol does, for help texts and reports. */
export const PROTOCOL_DESCRIPTIONS: Readonly<Record<Protocol, string>> = {
  msr: 'Microsoft Recommenders: 75/25 random split stratified by item',
  user: '75/25 random split stratified by user',
  temporal: "each user's oldest 75% train, newest 25% test",
  loo: "leave-last-out: each user's newest interaction tests",
  kfold: '5-fold cross-validation, folds stratified by user',
};

/** Folds of the `kfold` protocol. */
export const KFOLD_FOLDS = 5;

/**
 * The train/test parts of `protocol` (several for `kfold`, one otherwise), seeded.
 *
 * `msr` reproduces the protocol of the Microsoft Recommenders MovieLens benchmark, whose
 * notebook calls `python_stratified_split(data, ratio=0.75, filter_by="item", seed=42)`: it is
 * stratified by item, not by user, so every item keeps a quarter of its ratings for test and an
 * item rated once is only ever tested. We keep their choice (rather than the more common
 * per-user stratification) so the figures are comparable; only the random generator differs
 * (mulberry32 here, numpy there), so the exact rows differ, not the procedure.
 *
 * ```ts
 * const [{ train, test }] = protocolSplits('msr', interactions, 42);
 * ```
 */
export function protocolSplits(protocol: Protocol, data: readonly Interaction[], seed = DEFAULT_SEED): Split[] {
  switch (protocol) {
    case 'msr':
      return [stratifiedSplit(data, { ratio: 0.75, by: 'item', seed })];
    case 'user':
      return [stratifiedSplit(data, { ratio: 0.75, by: 'user', seed })];
    case 'temporal':
      return [temporalSplit(data, { ratio: 0.75, scope: 'user' })];
    case 'loo':
      return [leaveLastOut(data)];
    case 'kfold':
      return kFold(data, { folds: KFOLD_FOLDS, by: 'user', seed });
  }
}
