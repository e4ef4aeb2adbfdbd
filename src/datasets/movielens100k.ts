/**
 * MovieLens 100K folder: `u.data` (user, item, rating, epoch seconds; tab-separated), `u.item`
 * (latin1, pipe-separated: id, title, dates, URL and 19 genre flags), `u.user` (id, age, gender,
 * occupation, zip; loaded with the derived `age_group`) and optionally `u.genre` (the genre names in flag order).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Interaction, ItemFeatures } from '../recommend/recommender';
import type { Dataset } from './types';
import { forEachLine } from './lines';
import { id, interactionOf, need, number } from './fields';

/** The genre flags of u.item, in order, as u.genre lists them. */
export const ML100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** First field of u.item's genre flags (after id, title, release date, video date, URL). */
const FLAGS_AT = 5;

/**
 * Loads a MovieLens 100K folder; `u.item` and `u.user` are optional.
 *
 * ```ts
 * const { interactions, items, users } = loadMovieLens100k('data/ml-100k');
 * ```
 */
export function loadMovieLens100k(dir: string): Dataset {
  const interactions: Interaction[] = [];
  forEachLine(join(dir, 'u.data'), 'utf8', (line, n) => {
    const at = { file: 'u.data', line: n };
    interactions.push(interactionOf(need(line.split('\t'), 4, 'tab-separated', at), at));
  });

  const genres = existsSync(join(dir, 'u.genre')) ? readGenres(dir) : ML100K_GENRES;
  const items: ItemFeatures[] = [];
  if (existsSync(join(dir, 'u.item'))) {
    forEachLine(join(dir, 'u.item'), 'latin1', (line, n) => {
      const at = { file: 'u.item', line: n };
      const f = need(line.split('|'), FLAGS_AT + genres.length, 'pipe-separated', at);
      const categories = genres.filter((_, g) => f[FLAGS_AT + g] === '1');
      items.push({ id: id(f[0], 'item id', at), text: f[1], categories });
    });
  }

  let users: Map<string, Record<string, string>> | undefined;
  if (existsSync(join(dir, 'u.user'))) {
    const found = new Map<string, Record<string, string>>();
    forEachLine(join(dir, 'u.user'), 'utf8', (line, n) => {
      const at = { file: 'u.user', line: n };
      const [user, age, gender, occupation, zip] = need(line.split('|'), 5, 'pipe-separated', at);
      found.set(id(user, 'user id', at), { age, age_group: ageGroup(number(age, 'age', at)), gender, occupation, zip });
    });
    users = found;
  }
  return { interactions, items, users };
}

/** The age bands of MovieLens 1M's users file, the usual bands for per-age audits. */
const AGE_BANDS: readonly (readonly [number, string])[] = [
  [18, 'under 18'],
  [25, '18-24'],
  [35, '25-34'],
  [45, '35-44'],
  [50, '45-49'],
  [56, '50-55'],
];

/**
 * The age band of an age, as MovieLens 1M codes them (under 18, 18-24, …, 56+).
 *
 * ```ts
 * ageGroup(30); // '25-34'
 * ```
 */
export function ageGroup(age: number): string {
  for (const [below, name] of AGE_BANDS) if (age < below) return name;
  return '56+';
}

/** u.genre: `name|index` lines; the index is the flag's position. */
function readGenres(dir: string): string[] {
  const names: string[] = [];
  forEachLine(join(dir, 'u.genre'), 'latin1', (line, n) => {
    const at = { file: 'u.genre', line: n };
    const [name, index] = need(line.split('|'), 2, 'pipe-separated', at);
    names[number(index, 'genre index', at)] = name;
  });
  return Array.from(names, (name, i) => name ?? `genre ${i}`);
}
