/** Format detection and the one entry point that loads any supported folder. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Dataset, DatasetFormat } from './types';
import { DataFileError } from './errors';
import { loadMovieLens100k } from './movielens100k';
import { loadMovieLensCsv } from './movielensCsv';
import { loadLastfm } from './lastfm';
import { loadCsv } from './csv';

/**
 * Tells the format from the files present: `u.data` → ml-100k, `ratings.csv` → ml-csv,
 * `user_artists.dat` → lastfm, a single other `.csv` (or a path to a `.csv` file) → csv.
 *
 * ```ts
 * detectFormat('data/ml-100k'); // 'ml-100k'
 * ```
 */
export function detectFormat(path: string): DatasetFormat {
  if (!existsSync(path)) throw new DataFileError(basename(path), 0, 'no such file or folder');
  if (statSync(path).isFile()) {
    if (path.toLowerCase().endsWith('.csv')) return 'csv';
    throw new DataFileError(basename(path), 0, 'a data file must be a .csv; pass the folder for other formats');
  }
  if (existsSync(join(path, 'u.data'))) return 'ml-100k';
  if (existsSync(join(path, 'ratings.csv'))) return 'ml-csv';
  if (existsSync(join(path, 'user_artists.dat'))) return 'lastfm';
  if (csvFiles(path).length === 1) return 'csv';
  throw new DataFileError(
    basename(path),
    0,
    'cannot tell the format: expected u.data (ml-100k), ratings.csv (ml-csv), user_artists.dat (lastfm) or one .csv file',
  );
}

/**
 * Loads a data set from a folder (or a generic CSV file), detecting its format unless told.
 * Throws a {@link DataFileError} naming the file and line of anything unreadable.
 *
 * ```ts
 * const { interactions, items, users } = loadDataset('data/ml-100k');
 * ```
 */
export function loadDataset(path: string, format: DatasetFormat | 'auto' = 'auto'): Dataset {
  const chosen = format === 'auto' ? detectFormat(path) : format;
  switch (chosen) {
    case 'ml-100k':
      return loadMovieLens100k(path);
    case 'ml-csv':
      return loadMovieLensCsv(path);
    case 'lastfm':
      return loadLastfm(path);
    case 'csv':
      return loadCsv(csvPath(path));
  }
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.toLowerCase().endsWith('.csv'));
}

function csvPath(path: string): string {
  if (existsSync(path) && statSync(path).isFile()) return path;
  const found = existsSync(path) ? csvFiles(path) : [];
  if (found.length !== 1) {
    throw new DataFileError(basename(path), 0, `expected exactly one .csv file in the folder, found ${found.length}`);
  }
  return join(path, found[0]);
}
