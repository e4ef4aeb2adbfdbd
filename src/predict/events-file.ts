import { readConfigText } from '../core/config-file';
import { ConfigError, ValidationError } from '../core/errors';
import { type AttuneEvent, normalizeEvent } from '../core/event';
import { logPages } from '../store/log-pages';
import type { EventLog } from '../store/store';

/**
 * Where propensity training reads its events from: a file of Segment events (a JSON array, or
 * one JSON event a line) or the store's event log. Off the turn path.
 */

/**
 * Reads and validates a file of Segment events (each validated as ingestion would; the first
 * bad one is named by its position).
 *
 * ```ts
 * const events = readEventsFile('events.ndjson');
 * ```
 * @throws ConfigError when the file cannot be read, or an event in it is not valid
 */
export function readEventsFile(path: string): AttuneEvent[] {
  const trimmed = readConfigText(path, 'events file').trim();
  let inputs: { input: unknown; where: string }[];
  try {
    inputs = trimmed.startsWith('[')
      ? (JSON.parse(trimmed) as unknown[]).map((input, i) => ({ input, where: `event ${i}` }))
      : trimmed
          .split('\n')
          .map((line, i) => ({ line: line.trim(), i }))
          .filter((l) => l.line)
          .map(({ line, i }) => ({ input: JSON.parse(line) as unknown, where: `line ${i + 1}` }));
  } catch {
    throw new ConfigError(`events file ${path} is neither a JSON array of events nor one JSON event per line`);
  }
  const now = new Date();
  return inputs.map(({ input, where }) => {
    try {
      return normalizeEvent(input, now);
    } catch (err) {
      if (err instanceof ValidationError) throw new ConfigError(`events file ${path}, ${where}: ${err.message}`);
      throw err;
    }
  });
}

/** Reads the whole event log, page by page, in append order. */
export async function readEventLog(log: EventLog, pageSize = 5000): Promise<AttuneEvent[]> {
  const out: AttuneEvent[] = [];
  for await (const events of logPages(log, pageSize)) out.push(...events);
  return out;
}
