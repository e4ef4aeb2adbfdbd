import type { RequestHandler } from 'express';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';

/**
 * A route and its documentation are registered in one call ({@link documented}), so that a
 * route cannot be added without saying what it takes and answers: the OpenAPI document
 * (`/openapi.json`) is made of what the routes registered, and a test checks that every
 * route the server mounts is in it.
 */

/** The HTTP methods the edge serves. */
export type Method = 'get' | 'post' | 'put' | 'delete';

/** One operation: summary, parameters and body (zod schemas), responses. */
export type OperationDoc = ZodOpenApiOperationObject;

/**
 * What an adapter's endpoint documents, by path relative to where it is mounted (`/` for the
 * mount point itself), as `EdgeRoute.docs`.
 */
export type PathDocs = Readonly<Record<string, Partial<Record<Method, OperationDoc>>>>;

/** An Express path (`/users/:id/profile`) as OpenAPI writes it (`/users/{id}/profile`). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Where operations are written as routes register: one per server, scoped by mount prefix. */
export class RouteDocs {
  private readonly all: Record<string, Partial<Record<Method, OperationDoc>>>;

  constructor(
    private readonly prefix = '',
    shared?: Record<string, Partial<Record<Method, OperationDoc>>>,
  ) {
    this.all = shared ?? {};
  }

  /** Documents one operation at `path` (Express syntax, under this scope's prefix). */
  add(method: Method, path: string, operation: OperationDoc): void {
    const full = openApiPath(joinPath(this.prefix, path));
    const item = (this.all[full] ??= {});
    item[method] = operation;
  }

  /** Documents an adapter's endpoint mounted at `prefix` (see {@link PathDocs}). */
  mount(prefix: string, docs: PathDocs): void {
    for (const [path, ops] of Object.entries(docs)) {
      for (const [method, op] of Object.entries(ops) as [Method, OperationDoc][]) this.add(method, joinPath(prefix, path), op);
    }
  }

  /** The same document, for routes mounted under `prefix`. */
  scope(prefix: string): RouteDocs {
    return new RouteDocs(joinPath(this.prefix, prefix), this.all);
  }

  /** Every documented path, for `createDocument`. */
  get paths(): ZodOpenApiPathsObject {
    return this.all;
  }
}

const joinPath = (a: string, b: string): string => {
  const joined = `${a.replace(/\/+$/, '')}${b === '/' ? '' : b.startsWith('/') ? b : `/${b}`}`;
  return joined || '/';
};

/** What {@link documented} returns: route registration that takes the operation's documentation first. */
export type DocumentedRoutes = Record<Method, (path: string | readonly string[], doc: OperationDoc, ...handlers: RequestHandler[]) => void>;

/**
 * Registers routes on an Express app or router together with their documentation.
 *
 * ```ts
 * const route = documented(router, docs.scope('/v1'));
 * route.get('/users/:id/segments', { summary: 'A user’s segments', responses: { 200: { description: 'ok' } } }, read, handler);
 * ```
 */
export function documented(target: { [M in Method]: (path: string | string[], ...handlers: RequestHandler[]) => unknown }, docs: RouteDocs): DocumentedRoutes {
  const register =
    (method: Method) =>
    (path: string | readonly string[], doc: OperationDoc, ...handlers: RequestHandler[]): void => {
      const paths = typeof path === 'string' ? [path] : [...path];
      for (const p of paths) docs.add(method, p, doc);
      target[method](typeof path === 'string' ? path : paths, ...handlers);
    };
  return { get: register('get'), post: register('post'), put: register('put'), delete: register('delete') };
}
