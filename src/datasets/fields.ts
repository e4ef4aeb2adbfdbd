/** Field-level parsing shared by the loaders: splitting a line and reading numbers from it. */
import type { Interaction } from '../recommend/recommender';
import { DataFileError } from './errors';

/** Where a value came from, for error messages. */
export interface Place {
  file: string;
  line: number;
}

/**
 * Splits one CSV line on commas, honouring double quotes (`"Heat (1995), The"`) and doubled
 * quotes inside them. Quoted fields spanning lines do not occur in the formats read here.
 *
 * ```ts
 * splitCsvLine('1,"Toy Story (1995)",Comedy'); // ['1', 'Toy Story (1995)', 'Comedy']
 * ```
 */
export function splitCsvLine(line: string, at?: Place): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') field += line[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted && at) throw new DataFileError(at.file, at.line, 'unterminated quoted field');
  out.push(field);
  return out;
}

/**
 * Checks a split line has at least `min` fields and returns it.
 *
 * ```ts
 * const [user, item] = need(line.split('\t'), 4, 'tab-separated', place);
 * ```
 */
export function need(fields: string[], min: number, separator: string, at: Place): string[] {
  if (fields.length < min) {
    throw new DataFileError(at.file, at.line, `expected ${min} ${separator} fields, found ${fields.length}`);
  }
  return fields;
}

/**
 * Reads a finite number, or fails naming the file, the line and the field.
 *
 * ```ts
 * const rating = number('4.5', 'rating', place); // 4.5
 * ```
 */
export function number(value: string, what: string, at: Place): number {
  const trimmed = value.trim();
  const n = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(n)) throw new DataFileError(at.file, at.line, `${what} is not a number: ${JSON.stringify(value)}`);
  return n;
}

/**
 * Reads a non-empty id field.
 *
 * ```ts
 * const user = id(fields[0], 'user id', place);
 * ```
 */
export function id(value: string | undefined, what: string, at: Place): string {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) throw new DataFileError(at.file, at.line, `${what} is empty`);
  return trimmed;
}

/** Epoch seconds to the epoch milliseconds of {@link Interaction.time}. */
export const SECOND = 1000;

/**
 * The `user, item, weight[, epoch seconds]` row every rating file starts with. Without a
 * timestamp column (`timed: false`) the time is 0.
 *
 * ```ts
 * interactionOf(['196', '242', '3', '881250949'], place); // time 881250949000
 * ```
 */
export function interactionOf(f: readonly string[], at: Place, timed = true): Interaction {
  return {
    user: id(f[0], 'user id', at),
    item: id(f[1], 'item id', at),
    weight: number(f[2], 'weight', at),
    time: timed ? number(f[3], 'timestamp', at) * SECOND : 0,
  };
}
