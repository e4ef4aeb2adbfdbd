/**
 * Synthetic stand-ins for two public catalogs, written in their own file layouts so they go
 * through the real loaders:
 *
 * - `ml-csv`: a MovieLens CSV folder shaped like ml-latest-small (610 users, about 9,700 movies,
 *   about 100,000 ratings; `movies.csv` with titles and `|`-joined genres, `ratings.csv`);
 * - `lastfm`: a Last.fm HetRec 2011 folder (1,892 listeners, about 17,600 artists, 50 artists per
 *   listener with play counts; `user_artists.dat`, `artists.dat`).
 *
 * Planted structure: users and items fall in taste groups; a user takes most items from their
 * own group; item popularity is Zipf-like (a long tail, as in both real sets); genres and title
 * words name the group, with noise. A model that learns the structure beats popularity, and
 * the real data sets can be put in their place (`bench:recommend` takes their folders).
 *
 * ```ts
 * writeCatalog('lastfm', dir, { scale: 0.05, seed: 1 });
 * loadDataset(dir, 'lastfm');
 * ```
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../src/evaluate';

/** The two layouts. */
export type CatalogShape = 'ml-csv' | 'lastfm';

/** Options of {@link writeCatalog}. */
export interface CatalogOptions {
  /** Fraction of the real set's users and items (1: full size; tests use a few percent). */
  scale?: number;
  seed?: number;
}

/** The real sets' shapes, which `scale` multiplies. */
const SHAPES = {
  'ml-csv': { users: 610, items: 9742, groups: 18, inGroup: 0.8, zipf: 0.9 },
  lastfm: { users: 1892, items: 17632, groups: 25, inGroup: 0.8, zipf: 1.0 },
} as const;

const GENRES = ['Action', 'Adventure', 'Animation', 'Children', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'IMAX', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];
const WORDS = ['night', 'river', 'star', 'iron', 'silver', 'shadow', 'storm', 'garden', 'echo', 'winter', 'summer', 'empire', 'ghost', 'dream', 'city', 'ocean', 'fire', 'stone', 'glass', 'wolf', 'crown', 'paper', 'velvet', 'neon', 'desert', 'harbor', 'thunder', 'orchid', 'copper', 'lantern'];

/** What was written. */
export interface CatalogSummary {
  users: number;
  items: number;
  interactions: number;
}

/**
 * Writes a synthetic catalog of `shape` into `dir` (created if needed).
 *
 * ```ts
 * const { items } = writeCatalog('ml-csv', dir); // about 9,700 movies
 * ```
 */
export function writeCatalog(shape: CatalogShape, dir: string, options: CatalogOptions = {}): CatalogSummary {
  const scale = options.scale ?? 1;
  const spec = SHAPES[shape];
  const users = Math.max(10, Math.round(spec.users * scale));
  const items = Math.max(50, Math.round(spec.items * scale));
  // Fewer groups on a scaled-down catalog, so each group keeps enough users to learn from.
  const groups = Math.max(3, Math.round(spec.groups * Math.sqrt(Math.min(1, scale))));
  const rng = mulberry32(options.seed ?? 42);
  const groupOf = (i: number): number => i % groups;
  // Zipf weight by a shuffled global rank, so popularity is not tied to the item id.
  const rank = Int32Array.from({ length: items }, (_, i) => i);
  for (let i = items - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const pools = Array.from({ length: groups + 1 }, () => ({ ids: [] as number[], cum: [] as number[] }));
  for (let i = 0; i < items; i++) {
    const w = 1 / Math.pow(rank[i] + 1, spec.zipf);
    for (const pool of [pools[groupOf(i)], pools[groups]]) {
      pool.ids.push(i);
      pool.cum.push((pool.cum[pool.cum.length - 1] ?? 0) + w);
    }
  }
  const draw = (pool: { ids: number[]; cum: number[] }): number => {
    const target = rng() * pool.cum[pool.cum.length - 1];
    let lo = 0;
    let hi = pool.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pool.cum[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return pool.ids[lo];
  };
  const perUser = (): number =>
    shape === 'lastfm' ? Math.min(50, items) : Math.min(items, 20 + Math.floor(Math.pow(rng(), 3) * 580 * Math.min(1, scale * 4)));

  const pairs: { user: number; item: number; value: number; time: number }[] = [];
  for (let u = 0; u < users; u++) {
    const g = u % groups;
    const want = perUser();
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < want && tries < want * 50; tries++) chosen.add(draw(rng() < spec.inGroup ? pools[g] : pools[groups]));
    let time = 1_400_000_000 + Math.floor(rng() * 2e8);
    for (const i of chosen) {
      const own = groupOf(i) === g;
      // ML: half-star ratings, higher in the user's own group; Last.fm: heavy-tailed play counts.
      const value =
        shape === 'lastfm'
          ? Math.max(1, Math.round(Math.exp(rng() * 6 + (own ? 1.5 : 0))))
          : Math.min(5, Math.max(0.5, Math.round(((own ? 3.8 : 2.9) + (rng() - 0.5) * 2.5) * 2) / 2));
      pairs.push({ user: u + 1, item: i + 1, value, time: (time += 30 + Math.floor(rng() * 3600)) });
    }
  }

  const nameOf = (i: number): string => {
    const g = groupOf(i);
    const own = [WORDS[g % WORDS.length], WORDS[(g * 7 + 3) % WORDS.length]];
    const noise = WORDS[Math.floor(rng() * WORDS.length)];
    return `${own[Math.floor(rng() * 2)]} ${noise} ${rng() < 0.5 ? own[1] : 'the'}`;
  };
  mkdirSync(dir, { recursive: true });
  if (shape === 'ml-csv') {
    const movies = ['movieId,title,genres'];
    for (let i = 0; i < items; i++) {
      const g = groupOf(i);
      const genres = new Set([GENRES[g % GENRES.length], GENRES[(g * 5 + 2) % GENRES.length]]);
      if (rng() < 0.3) genres.add(GENRES[Math.floor(rng() * GENRES.length)]);
      const title = nameOf(i).replace(/\b\w/g, (c) => c.toUpperCase());
      // Some titles hold a comma, so the loader's quoting is exercised as the real file does.
      movies.push(`${i + 1},${rng() < 0.1 ? `"${title}, The (${1950 + (i % 70)})"` : `${title} (${1950 + (i % 70)})`},${[...genres].join('|')}`);
    }
    writeFileSync(join(dir, 'movies.csv'), `${movies.join('\n')}\n`);
    const ratings = ['userId,movieId,rating,timestamp', ...pairs.map((p) => `${p.user},${p.item},${p.value},${p.time}`)];
    writeFileSync(join(dir, 'ratings.csv'), `${ratings.join('\n')}\n`);
  } else {
    const artists = ['id\tname\turl\tpictureURL'];
    for (let i = 0; i < items; i++) artists.push(`${i + 1}\t${nameOf(i)}\thttp://www.last.fm/music/a${i + 1}\t`);
    writeFileSync(join(dir, 'artists.dat'), `${artists.join('\n')}\n`);
    const ua = ['userID\tartistID\tweight', ...pairs.map((p) => `${p.user}\t${p.item}\t${p.value}`)];
    writeFileSync(join(dir, 'user_artists.dat'), `${ua.join('\n')}\n`);
  }
  return { users, items, interactions: pairs.length };
}
