import { mulberry32 } from '../../core/random';

/** A small seeded PRNG: every random choice in model code goes through it, so same seed, same model. */
export class Rng {
  private readonly source: () => number;

  /**
   * ```ts
   * const rng = new Rng(42);
   * rng.next(); // in [0, 1)
   * ```
   */
  constructor(seed = 0) {
    this.source = mulberry32((seed >>> 0) ^ 0x9e3779b9);
  }

  /** Uniform in [0, 1) (mulberry32: fast, 32-bit state, good enough for initialization and shuffles). */
  next(): number {
    return this.source();
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** A stable 32-bit hash of a string (FNV-1a), to derive per-user seeds from ids. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
