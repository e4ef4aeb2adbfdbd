/** The error every loader throws for input it cannot read. */
import { ValidationError } from '../core/errors';

/**
 * A data file could not be read: which file, which line (1-based; 0 for the file as a whole),
 * and what was wrong. A {@link ValidationError}, so callers handle it like any invalid input.
 *
 * ```ts
 * throw new DataFileError('u.data', 3, 'expected 4 tab-separated fields, found 2');
 * // message: "u.data, line 3: expected 4 tab-separated fields, found 2"
 * ```
 */
export class DataFileError extends ValidationError {
  /** The file's name, as the user would look for it. */
  readonly file: string;
  /** 1-based line number; 0 when the problem is the file itself (missing, empty). */
  readonly line: number;
  constructor(file: string, line: number, problem: string) {
    super(file, [{ path: line ? [file, line] : [file], message: problem }]);
    // ValidationError would render "file: file.3: problem"; say it the way people read it.
    this.message = line ? `${file}, line ${line}: ${problem}` : `${file}: ${problem}`;
    this.file = file;
    this.line = line;
  }
}
