/**
 * User-level outcomes in a CSV file, one user a line, for `attune experiments analyze`:
 * `variant,value[,pre]` for binomial and mean metrics, `variant,numerator,denominator` for
 * ratio metrics. A header is optional; when present its names place the columns, so they may
 * come in any order.
 */

import { basename } from 'node:path';
import { DataFileError } from '../datasets/errors';
import { splitCsvLine } from '../datasets/fields';
import { forEachLine } from '../datasets/lines';
import type { MetricKind, RatioRow, ValueRow } from './analyze';

/** Rows of one metric kind, as `analyze` takes them. */
export type OutcomeRows = { metric: 'binomial' | 'mean'; rows: ValueRow[] } | { metric: 'ratio'; rows: RatioRow[] };

const COLUMNS = { value: ['variant', 'value', 'pre'], ratio: ['variant', 'numerator', 'denominator'] } as const;

/**
 * Reads a file of outcomes for `metric`, failing with the file, line and field of the first
 * problem (a {@link DataFileError}, a ValidationError).
 *
 * ```ts
 * const { rows } = loadOutcomesCsv('outcomes.csv', 'binomial'); // [{ variant: 'control', value: 0 }, …]
 * ```
 */
export function loadOutcomesCsv(path: string, metric: MetricKind): OutcomeRows {
  const file = basename(path);
  const names: readonly string[] = metric === 'ratio' ? COLUMNS.ratio : COLUMNS.value;
  const required = metric === 'ratio' ? 3 : 2;
  let place: number[] | undefined;
  const values: ValueRow[] = [];
  const ratios: RatioRow[] = [];
  let lines = 0;
  forEachLine(path, 'utf8', (line, n) => {
    const f = splitCsvLine(line, { file, line: n }).map((s) => s.trim());
    if (lines++ === 0 && place === undefined && isHeader(f)) {
      place = names.map((name) => f.findIndex((h) => h.toLowerCase() === name));
      const missing = names.slice(0, required).filter((_, i) => place?.[i] === -1);
      if (missing.length) throw new DataFileError(file, n, `the header needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for a ${metric} metric`);
      return;
    }
    const at = place ?? names.map((_, i) => i);
    const cell = (i: number) => (at[i] >= 0 ? f[at[i]] : undefined);
    if (f.length < required) throw new DataFileError(file, n, `expected ${required} comma-separated fields (${names.slice(0, required).join(',')}), found ${f.length}`);
    const variant = cell(0) ?? '';
    if (!variant) throw new DataFileError(file, n, 'the variant is empty');
    const num = (i: number): number => {
      const s = cell(i) ?? '';
      const x = s === '' ? NaN : Number(s);
      if (!Number.isFinite(x)) throw new DataFileError(file, n, `${names[i]} must be a finite number, got ${JSON.stringify(s)}`);
      return x;
    };
    if (metric === 'ratio') ratios.push({ variant, numerator: num(1), denominator: num(2) });
    else {
      const value = num(1);
      if (metric === 'binomial' && value !== 0 && value !== 1) throw new DataFileError(file, n, `a binomial metric takes 0 or 1, got ${value}`);
      const pre = cell(2);
      values.push(pre === undefined || pre === '' ? { variant, value } : { variant, value, pre: num(2) });
    }
  });
  if (values.length + ratios.length === 0) throw new DataFileError(file, 0, 'no outcomes in the file');
  return metric === 'ratio' ? { metric, rows: ratios } : { metric, rows: values };
}

/** A first line whose second field is not a number names the columns. */
function isHeader(f: readonly string[]): boolean {
  return f.length > 1 && (f[1] === '' || !Number.isFinite(Number(f[1])));
}
