/**
 * Reads a text file line by line in fixed-size chunks: memory stays flat on files of any size
 * (MovieLens 25M's ratings.csv is 650 MB, past V8's largest string), and the caller gets line
 * numbers for its error messages.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { DataFileError } from './errors';

/** Text encodings the data sets use: MovieLens 100K's u.item is latin1, the rest UTF-8. */
export type TextEncoding = 'utf8' | 'latin1';

const CHUNK = 1 << 20;

/**
 * Calls `onLine(text, lineNumber)` for every non-blank line of `path` (line numbers are 1-based
 * and count blank lines too, so they match an editor's). A trailing `\r` is removed.
 *
 * ```ts
 * forEachLine('ratings.csv', 'utf8', (line, n) => { ... });
 * ```
 */
export function forEachLine(path: string, encoding: TextEncoding, onLine: (line: string, lineNumber: number) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DataFileError(basename(path), 0, `cannot open (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder(encoding);
    let rest = '';
    let lineNumber = 0;
    const emit = (line: string) => {
      lineNumber++;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim()) onLine(line, lineNumber);
    };
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        emit(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest) emit(rest);
  } finally {
    closeSync(fd);
  }
}
