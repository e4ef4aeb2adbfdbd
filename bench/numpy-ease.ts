/**
 * Runs the numpy EASE reference (`bench/reference/ease_numpy.py`) on a split, when python3 with
 * numpy is installed; otherwise says why it was skipped. The split goes through temporary
 * files that are removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Interaction } from '../src/recommend/recommender';

/** What the reference measured on the test part. */
export interface ReferenceResult {
  ndcg: number;
  precision: number;
  recall: number;
  map: number;
  users: number;
  /** The λ chosen on the validation split of the train part. */
  lambda: number;
  seconds: number;
}

const SCRIPT = join(__dirname, 'reference', 'ease_numpy.py');

/** Why the reference cannot run here, or undefined when it can. */
export function numpyMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return 'python3 not found';
  return probe.status === 0 ? undefined : 'numpy not installed';
}

/**
 * Plain EASE with λ tuned on a validation split of `train`, scored on `test`, in numpy.
 *
 * ```ts
 * const ref = numpyEase(train, test, 42); // or { skipped: 'numpy not installed' }
 * ```
 */
export function numpyEase(train: readonly Interaction[], test: readonly Interaction[], seed: number): ReferenceResult | { skipped: string } {
  const missing = numpyMissing();
  if (missing) return { skipped: missing };
  const dir = mkdtempSync(join(tmpdir(), 'attune-ease-ref-'));
  try {
    const write = (name: string, xs: readonly Interaction[]) => {
      const path = join(dir, name);
      writeFileSync(path, xs.map((x) => `${x.user}\t${x.item}\n`).join(''));
      return path;
    };
    const started = performance.now();
    const child = spawnSync('python3', [SCRIPT, '--train', write('train.tsv', train), '--test', write('test.tsv', test), '--seed', String(seed)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const seconds = (performance.now() - started) / 1000;
    if (child.status !== 0) return { skipped: `reference failed: ${(child.stderr || `exit ${child.status}`).trim().split('\n').pop() ?? ''}` };
    const out = JSON.parse(child.stdout) as Omit<ReferenceResult, 'seconds'>;
    return { ...out, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
