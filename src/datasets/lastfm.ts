/**
 * Last.fm HetRec 2011 folder: `user_artists.dat` (`userID artistID weight`, tab-separated with a
 * header; the weight is a play count) and optionally `artists.dat` (`id name url pictureURL`).
 * The data carries no times, so every interaction has time 0 (temporal splits fall back to
 * input order).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Interaction, ItemFeatures } from '../recommend/recommender';
import type { Dataset } from './types';
import { forEachLine } from './lines';
import { id, interactionOf, need } from './fields';

/**
 * Loads a Last.fm HetRec folder.
 *
 * ```ts
 * const { interactions, items } = loadLastfm('data/hetrec2011-lastfm-2k');
 * ```
 */
export function loadLastfm(dir: string): Dataset {
  const interactions: Interaction[] = [];
  forEachLine(join(dir, 'user_artists.dat'), 'utf8', (line, n) => {
    if (n === 1 && line.startsWith('userID')) return;
    const at = { file: 'user_artists.dat', line: n };
    interactions.push(interactionOf(need(line.split('\t'), 3, 'tab-separated', at), at, false));
  });

  const items: ItemFeatures[] = [];
  if (existsSync(join(dir, 'artists.dat'))) {
    forEachLine(join(dir, 'artists.dat'), 'utf8', (line, n) => {
      if (n === 1 && line.startsWith('id\t')) return;
      const at = { file: 'artists.dat', line: n };
      const [artist, name] = need(line.split('\t'), 2, 'tab-separated', at);
      items.push({ id: id(artist, 'artist id', at), text: name });
    });
  }
  return { interactions, items };
}
