/**
 * MovieLens CSV folder (the layout of ml-latest, ml-25m, ml-32m): `ratings.csv`
 * (`userId,movieId,rating,timestamp` with a header; epoch seconds) and optionally `movies.csv`
 * (`movieId,title,genres`, titles quoted when they hold commas, genres joined by `|`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Interaction, ItemFeatures } from '../recommend/recommender';
import type { Dataset } from './types';
import { forEachLine } from './lines';
import { id, interactionOf, need, splitCsvLine } from './fields';

/** What movies.csv says when a movie has no genre. */
const NO_GENRES = '(no genres listed)';

/**
 * Loads a MovieLens CSV folder.
 *
 * ```ts
 * const { interactions, items } = loadMovieLensCsv('data/ml-latest-small');
 * ```
 */
export function loadMovieLensCsv(dir: string): Dataset {
  const interactions: Interaction[] = [];
  forEachLine(join(dir, 'ratings.csv'), 'utf8', (line, n) => {
    if (n === 1 && line.startsWith('userId')) return;
    const at = { file: 'ratings.csv', line: n };
    interactions.push(interactionOf(need(line.split(','), 4, 'comma-separated', at), at));
  });

  const items: ItemFeatures[] = [];
  if (existsSync(join(dir, 'movies.csv'))) {
    forEachLine(join(dir, 'movies.csv'), 'utf8', (line, n) => {
      if (n === 1 && line.startsWith('movieId')) return;
      const at = { file: 'movies.csv', line: n };
      const [movie, title, genres] = need(splitCsvLine(line, at), 3, 'comma-separated', at);
      const categories = genres === NO_GENRES ? [] : genres.split('|').filter(Boolean);
      items.push({ id: id(movie, 'movie id', at), text: title, categories });
    });
  }
  return { interactions, items };
}
