import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AttuneError, type ErrorCode, ValidationError } from '../../src/core/errors';

/** The one place where error codes become HTTP statuses. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_argument: 400,
  not_found: 404,
  conflict: 409,
  config: 500,
  store: 503,
  unavailable: 503,
};

/** Sends a JSON error body: `{ error, message, issues? }`. */
export function sendError(res: Response, status: number, error: string, message: string, issues?: unknown): void {
  res.status(status).json(issues === undefined ? { error, message } : { error, message, issues });
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
}

/** What a client did wrong, in our own words: a status, a stable code and a stable message. */
export interface ClientError {
  status: number;
  error: string;
  message: string;
}

/** body-parser's error types (its `err.type`), each with what we say instead of its message. */
const BODY_ERRORS: Readonly<Record<string, Omit<ClientError, 'status'>>> = {
  'entity.parse.failed': { error: 'invalid_argument', message: 'request body is not valid JSON' },
  'entity.verify.failed': { error: 'invalid_argument', message: 'request body was refused' },
  'encoding.unsupported': { error: 'unsupported_media_type', message: 'unsupported Content-Encoding: send identity, gzip, deflate or br' },
  'charset.unsupported': { error: 'unsupported_media_type', message: 'unsupported charset: send JSON in UTF-8' },
  'request.aborted': { error: 'invalid_argument', message: 'request body was not received in full' },
  'request.size.invalid': { error: 'invalid_argument', message: 'request body does not match its Content-Length' },
  'parameters.too.many': { error: 'payload_too_large', message: 'request body has too many parameters' },
};

/**
 * The 4xx that express, its router and body-parser raise (malformed JSON, a body too large or
 * compressed wrongly, a path that is not valid percent-encoding), told in messages of our own:
 * theirs quote parser internals and pieces of the input, and their wording changes between
 * versions. Undefined for anything else: a server error, or not an HTTP error at all.
 *
 * ```ts
 * const known = clientErrorOf(err);
 * if (known) return sendError(res, known.status, known.error, known.message);
 * ```
 */
export function clientErrorOf(err: unknown): ClientError | undefined {
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpLikeError;
  const status = e.status ?? e.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (e.type === 'entity.too.large') {
    const limit = typeof e.limit === 'number' ? ` of ${e.limit} bytes` : '';
    return { status, error: 'payload_too_large', message: `request body is larger than the limit${limit}` };
  }
  const known = e.type === undefined ? undefined : BODY_ERRORS[e.type];
  if (known) return { status, ...known };
  // The router's URIError for `/v1/users/%E0%A4%A`; zlib's errors for a body that is not what its Content-Encoding says.
  if (err instanceof URIError) return { status, error: 'invalid_argument', message: 'request path is not valid percent-encoding' };
  if (/^Z_/.test(String((err as { code?: unknown }).code))) return { status, error: 'invalid_argument', message: 'request body could not be decompressed as its Content-Encoding says' };
  return { status, error: status === 404 ? 'not_found' : 'invalid_argument', message: (STATUS_CODES[status] ?? 'bad request').toLowerCase() };
}

/**
 * Express error handler: typed Attune errors map through {@link HTTP_STATUS}; express's and
 * body-parser's own 4xx (malformed JSON, too large) keep their status with a message of our
 * own ({@link clientErrorOf}); anything else is a 500. Library messages and stacks go to the
 * log only, never into a response.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof ValidationError) return sendError(res, 400, err.code, err.message, err.issues);
    if (err instanceof AttuneError) {
      const status = HTTP_STATUS[err.code];
      if (status >= 500) logger.error({ err, path: req.path }, 'attune: request failed');
      return sendError(res, status, err.code, status >= 500 ? 'the service could not complete the request' : err.message);
    }
    const known = clientErrorOf(err);
    if (known) {
      logger.debug({ err, path: req.path }, 'attune: bad request');
      return sendError(res, known.status, known.error, known.message);
    }
    logger.error({ err, path: req.path }, 'attune: unexpected error');
    return sendError(res, 500, 'internal', 'unexpected error');
  };
}
