import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import { ValidationError } from '../../src/core/errors';
import { type ClientError, clientErrorOf, sendError } from './errors';
import type { HttpMiddleware, HttpResponse } from './types';

/**
 * The most a request body may hold, by endpoint, in bytes after decompression: 1 MB, and
 * 5 MB for Rasa's action calls, which carry the whole tracker.
 */
export const BODY_LIMITS = { default: 1024 * 1024, rasa: 5 * 1024 * 1024 } as const;

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Most bytes a body may hold (default {@link BODY_LIMITS}.default); beyond it, 413. */
  limit?: number;
  /**
   * Content types read as JSON (default `application/json`). Segment-style ingestion adds
   * what real clients send: RudderStack's Node SDK posts its gzip JSON as
   * `application/x-www-form-urlencoded`, browsers' beacons as `text/plain`.
   */
  types?: readonly string[];
  /** Where what the parser said goes, at debug level: it quotes the input and its internals. */
  logger: Logger;
  /** The edge's name in that log line (default `attune/http`). */
  where?: string;
  /** How to answer a body that cannot be read (default: `{ error, message }` with its status). */
  refuse?: (res: HttpResponse, error: ClientError) => void;
}

/**
 * Parses a JSON body (`Content-Type: application/json`, identity, gzip, deflate or br, UTF-8)
 * up to a limit, and answers a body it cannot read right here, in our own words: malformed
 * JSON, too large (413), an unsupported charset or encoding (415), a body that is not what
 * its Content-Encoding says. A body of another type is left unparsed (`req.body` stays unset).
 *
 * ```ts
 * app.post('/hook', jsonBody({ limit: BODY_LIMITS.default, logger }), handler);
 * ```
 */
export function jsonBody(options: JsonBodyOptions): HttpMiddleware {
  const parse = express.json({ limit: options.limit ?? BODY_LIMITS.default, ...(options.types ? { type: [...options.types] } : {}) });
  const where = options.where ?? 'attune/http';
  const refuse = options.refuse ?? ((res, e) => sendError(res, e.status, e.error, e.message));
  return (req, res, next) => {
    // No body (a GET, most DELETEs): nothing to read, and the parser's own checks are skipped.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return next();
    // body-parser reads the request stream: what the edge is given is node's IncomingMessage
    // (or a framework's request built on it), described here by the few members the edge reads.
    parse(req as unknown as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
      if (!err) return next();
      const known = clientErrorOf(err);
      if (!known) return next(err);
      options.logger.debug({ err }, `${where}: unreadable request body`);
      refuse(res, known);
    });
  };
}

/**
 * The parsed body when it is a JSON object; otherwise a ValidationError (a 400) saying what
 * was expected, `what` naming it (default `a JSON object`).
 *
 * ```ts
 * const event = objectBody(req.body); // Record<string, unknown>
 * ```
 */
export function objectBody(body: unknown, what = 'a JSON object'): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError(`request body must be ${what} (Content-Type: application/json)`);
  }
  return body as Record<string, unknown>;
}
