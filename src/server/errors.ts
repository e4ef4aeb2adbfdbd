import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AttuneError, type ErrorCode, ValidationError } from '../core/errors';

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
  message?: string;
}

/**
 * Express error handler: typed Attune errors map through {@link HTTP_STATUS}; body-parser's
 * own errors (malformed JSON, too large) keep their 4xx status; anything else is a 500 that
 * is logged with its stack and answered without one.
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
    const e = (err ?? {}) as HttpLikeError;
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) {
      const message = e.type === 'entity.parse.failed' ? `request body is not valid JSON: ${e.message ?? ''}`.trim() : (e.message ?? 'bad request');
      return sendError(res, status, e.type === 'entity.too.large' ? 'payload_too_large' : 'invalid_argument', message);
    }
    logger.error({ err, path: req.path }, 'attune: unexpected error');
    return sendError(res, 500, 'internal', 'unexpected error');
  };
}
