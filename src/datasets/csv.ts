/**
 * Generic interaction CSV: `user,item[,weight][,timestamp]`, one interaction a line, with or
 * without a header. A missing weight is 1 (an implicit signal). A timestamp is epoch seconds,
 * epoch milliseconds (told apart by size) or an ISO 8601 date.
 */
import { basename } from 'node:path';
import type { Interaction } from '../recommend/recommender';
import type { Dataset } from './types';
import { forEachLine } from './lines';
import { SECOND, id, need, number, splitCsvLine, type Place } from './fields';
import { DataFileError } from './errors';

/** Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const MILLIS_FROM = 1e11;

/**
 * Loads one generic CSV file. A first line whose weight or timestamp column is not numeric, or
 * that reads `user,item…`, is taken as a header.
 *
 * ```ts
 * const { interactions } = loadCsv('events.csv');
 * ```
 */
export function loadCsv(path: string): Dataset {
  const file = basename(path);
  const interactions: Interaction[] = [];
  forEachLine(path, 'utf8', (line, n) => {
    const at = { file, line: n };
    const f = need(splitCsvLine(line, at), 2, 'comma-separated', at);
    if (interactions.length === 0 && isHeader(f)) return;
    interactions.push({
      user: id(f[0], 'user id', at),
      item: id(f[1], 'item id', at),
      weight: f.length > 2 && f[2].trim() !== '' ? number(f[2], 'weight', at) : 1,
      time: f.length > 3 ? time(f[3], at) : 0,
    });
  });
  return { interactions, items: [] };
}

function isHeader(f: readonly string[]): boolean {
  if (/^\s*user/i.test(f[0])) return true;
  return f.slice(2).some((v) => v.trim() !== '' && !Number.isFinite(Number(v)) && Number.isNaN(Date.parse(v)));
}

function time(value: string, at: Place): number {
  const trimmed = value.trim();
  if (trimmed === '') return 0;
  const n = Number(trimmed);
  if (Number.isFinite(n)) return n < MILLIS_FROM ? n * SECOND : n;
  const parsed = Date.parse(trimmed);
  if (Number.isNaN(parsed)) throw new DataFileError(at.file, at.line, `timestamp is neither a number nor a date: ${JSON.stringify(value)}`);
  return parsed;
}
