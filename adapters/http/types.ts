import type { IncomingHttpHeaders } from 'node:http';

/*
 * The request and response as the edge sees them: the few members its auth schemes, limits,
 * body parser and error bodies use, described structurally (as grammY's frameworks.ts does)
 * rather than imported from a web framework. Node's own `IncomingMessage` and
 * `ServerResponse` have them, and so have Express's, Connect's and Polka's objects built on
 * them, so the same guard serves any of them.
 */

/**
 * What the edge reads of a request.
 *
 * ```ts
 * const guard: HttpMiddleware = (req, res, next) => (clientAddress(req) === '127.0.0.1' ? next() : sendError(res, 403, 'forbidden', 'loopback only'));
 * ```
 */
export interface HttpRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string;
  /** The path and query string as received (`/rasa/webhook?token=…`). */
  readonly url?: string;
  readonly socket: { readonly remoteAddress?: string };
  /** The client address as the framework resolved it (Express: after `trust proxy`). */
  readonly ip?: string;
  /** The parsed query string, when the framework parsed it (Express does). */
  readonly query?: unknown;
  /** The parsed body, once a body parser ({@link jsonBody}) ran. */
  body?: unknown;
}

/** What the edge writes of a response: node's `ServerResponse` has all of it. */
export interface HttpResponse {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  end(chunk?: string): unknown;
}

/** Passes control on: with no argument to the next handler, with an error to the error handler. */
export type HttpNext = (err?: unknown) => void;

/** Connect-style middleware over the structural request and response. */
export type HttpMiddleware = (req: HttpRequest, res: HttpResponse, next: HttpNext) => void;

/** Checks a request's credentials. Must run in constant time in what it compares. */
export type CredentialCheck = (req: HttpRequest) => boolean;
