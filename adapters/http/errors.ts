import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import { AttuneError, type ErrorCode, type Issue, ValidationError } from '../../src/core/errors';
import type { InvalidInputReport } from '../../src/engine/hooks';
import { requestSource } from './source';
import type { HttpNext, HttpRequest, HttpResponse } from './types';

/**
 * Who hears of the requests an edge refuses as invalid (`attune.hooks`, where the metrics
 * listen), and which edge this is.
 */
export interface RefusalObserver {
  hooks: { emit(name: 'onInvalidInput', report: InvalidInputReport): void };
  source: string;
}

/** The one place where error codes become HTTP statuses; {@link answerFor} reads it for every edge. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_argument: 400,
  not_found: 404,
  conflict: 409,
  config: 500,
  store: 503,
  unavailable: 503,
};

/**
 * Sends a JSON body with a status, on any response node's `ServerResponse` describes (the
 * edge's error bodies are written without a framework's help, so every framework gets the
 * same bytes).
 */
export function sendJson(res: HttpResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Sends a JSON error body: `{ error, message, issues? }`. */
export function sendError(res: HttpResponse, status: number, error: string, message: string, issues?: unknown): void {
  sendJson(res, status, issues === undefined ? { error, message } : { error, message, issues });
}

/** Answers 401 with the scheme's challenge (`Bearer realm="attune"`, `Basic …`) when it has one. */
export function sendUnauthenticated(res: HttpResponse, message: string, challenge?: string): void {
  if (challenge) res.setHeader('WWW-Authenticate', challenge);
  sendError(res, 401, 'unauthenticated', message);
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

/** What to answer for an error, in our own words, and how loudly to log what it really was. */
export interface ErrorAnswer extends ClientError {
  issues?: Issue[];
  /** `error`: our failure, for the operator; `debug`: the client's, kept for diagnosis; `none`: said in full in the answer. */
  log: 'none' | 'debug' | 'error';
}

/**
 * The one mapping of errors to answers, for every edge: a ValidationError is a 400 with its
 * issues; another Attune error takes its status from {@link HTTP_STATUS}, and from 500 up says
 * only that the service could not complete the request; express's, its router's and
 * body-parser's own 4xx keep their status with a message of our own ({@link clientErrorOf});
 * anything else is a 500 `unexpected error`. Library messages and stacks never reach a body.
 *
 * ```ts
 * const a = answerFor(err);
 * sendError(res, a.status, a.error, a.message, a.issues);
 * ```
 */
export function answerFor(err: unknown): ErrorAnswer {
  if (err instanceof ValidationError) return { status: 400, error: err.code, message: err.message, issues: err.issues, log: 'none' };
  if (err instanceof AttuneError) {
    const status = HTTP_STATUS[err.code];
    return status >= 500 ? { status, error: err.code, message: 'the service could not complete the request', log: 'error' } : { status, error: err.code, message: err.message, log: 'none' };
  }
  const known = clientErrorOf(err);
  if (known) return { ...known, log: 'debug' };
  return { status: 500, error: 'internal', message: 'unexpected error', log: 'error' };
}

/**
 * Logs an error as {@link answerFor} says (`where` names the edge in the message), tells
 * `observer` when it is the client's invalid input (a 400), and returns the answer. This is
 * the one place every edge's refusals pass, so the one place they are counted.
 */
export function logAnswer(logger: Logger, err: unknown, where: string, fields: Record<string, unknown> = {}, observer?: RefusalObserver): ErrorAnswer {
  const answer = answerFor(err);
  if (observer && answer.status === 400) observer.hooks.emit('onInvalidInput', { source: observer.source, issues: answer.issues?.length ?? 0 });
  if (answer.log === 'error') logger.error({ err, ...fields }, `${where}: ${answer.error === 'internal' ? 'unexpected error' : 'request failed'}`);
  else if (answer.log === 'debug') logger.debug({ err, ...fields }, `${where}: bad request`);
  return answer;
}

/**
 * Answers an error in the edge's shape `{ error, message, issues? }` (see {@link answerFor}).
 * A response already under way cannot be answered again: the error is only logged.
 */
export function sendErrorFor(res: HttpResponse, logger: Logger, err: unknown, where = 'attune', fields: Record<string, unknown> = {}, observer?: RefusalObserver): void {
  const a = logAnswer(logger, err, where, fields, observer);
  if (!res.headersSent) sendError(res, a.status, a.error, a.message, a.issues);
}

/** The path of a request, without its query string (which may carry a token). */
export function pathOf(req: HttpRequest): string {
  return (req.url ?? '').split('?')[0];
}

/**
 * The error handler of a server: every error a route passes on is answered through
 * {@link answerFor}, and a refusal of invalid input is told to `hooks` with the edge the
 * request reached ({@link requestSource}). A response already under way is left to the
 * framework, which closes it.
 */
export function errorHandler(logger: Logger, hooks?: RefusalObserver['hooks']): (err: unknown, req: HttpRequest, res: HttpResponse, next: HttpNext) => void {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    sendErrorFor(res, logger, err, 'attune', { path: pathOf(req) }, hooks && { hooks, source: requestSource(req) });
  };
}
