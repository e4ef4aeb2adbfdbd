/** Helpers for the OpenAPI tests: the real validator, and the routes an Express app mounts. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Express } from 'express';
import { openApiPath } from '../../adapters/http/route-docs';

const root = resolve(__dirname, '../..');

/** What the validator said. */
export interface OpenApiVerdict {
  valid: boolean;
  version: string;
  errors?: unknown;
}

// The validator is an ES module, which Jest's module system cannot load: it runs in a child
// Node process, given the document on stdin.
const VALIDATE = `
import { Validator } from '@seriousme/openapi-schema-validator';
let text = '';
for await (const chunk of process.stdin) text += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(text));
process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors }));
`;

/** Validates a document against the OpenAPI schema of its version (`@seriousme/openapi-schema-validator`). */
export function validateOpenApi(doc: unknown): OpenApiVerdict {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATE], { cwd: root, input: JSON.stringify(doc), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as OpenApiVerdict;
}

interface ListedRoute {
  path: string | RegExp;
  methods?: string[];
  router?: { listRoutes(): ListedRoute[] };
}

/**
 * Every route an app mounts, as `METHOD /openapi/{style}` (the automatic HEAD of a GET left
 * out), from Express's own router (`listRoutes`), mounted routers included.
 */
export function mountedRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (routes: ListedRoute[], prefix: string) => {
    for (const r of routes) {
      if (typeof r.path !== 'string') throw new Error(`a route with a pattern cannot be documented: ${String(r.path)}`);
      const path = `${prefix}${r.path === '/' ? '' : r.path}`;
      if (r.router) walk(r.router.listRoutes(), path);
      const methods = (r.methods ?? []).map((m) => m.toUpperCase());
      for (const m of methods) if (!(m === 'HEAD' && methods.includes('GET'))) out.push(`${m} ${openApiPath(path || '/')}`);
    }
  };
  walk((app.router as unknown as { listRoutes(): ListedRoute[] }).listRoutes(), '');
  return out.sort();
}

/** Every operation of a document, as `METHOD /path`. */
export function documentedRoutes(doc: { paths?: Record<string, object | undefined> }): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of ['get', 'post', 'put', 'delete', 'patch']) if (item && m in item) out.push(`${m.toUpperCase()} ${path}`);
  }
  return out.sort();
}
