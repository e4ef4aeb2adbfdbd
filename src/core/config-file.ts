import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';

/**
 * Files an app reads while it is configured (model artifacts, event files): read
 * synchronously, once, and refused with a {@link ConfigError} that names the file and what it
 * was meant to be, never a raw `ENOENT` from deep inside.
 */

/**
 * The text of the file at `path`.
 *
 * ```ts
 * readConfigText('events.ndjson', 'events file');
 * ```
 * @throws ConfigError `cannot read <what> <path> (<errno code>)`
 */
export function readConfigText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read ${what} ${path}${code ? ` (${code})` : ''}`);
  }
}

/**
 * The parsed JSON of the file at `path`; `hint` says how to write a good one.
 *
 * ```ts
 * readConfigJson('als.json', 'model file', 'write one with attune train --out');
 * ```
 * @throws ConfigError when the file cannot be read, or `<what> <path> is not JSON; <hint>`
 */
export function readConfigJson(path: string, what: string, hint: string): unknown {
  const text = readConfigText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConfigError(`${what} ${path} is not JSON; ${hint}`);
  }
}
