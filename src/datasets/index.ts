/**
 * Data set loaders: MovieLens 100K, MovieLens CSV, Last.fm HetRec and generic CSV, with format
 * detection and errors that name the file and line.
 *
 * ```ts
 * import { loadDataset } from './datasets';
 * const { interactions, items, users } = loadDataset('data/ml-100k');
 * ```
 */
export { DATASET_FORMATS, type Dataset, type DatasetFormat } from './types';
export { DataFileError } from './errors';
export { detectFormat, loadDataset } from './load';
export { ML100K_GENRES, ageGroup, loadMovieLens100k } from './movielens100k';
export { loadMovieLensCsv } from './movielensCsv';
export { loadLastfm } from './lastfm';
export { loadCsv } from './csv';
export { splitCsvLine } from './fields';
export { forEachLine, type TextEncoding } from './lines';
