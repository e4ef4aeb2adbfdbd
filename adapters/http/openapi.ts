import type { RequestHandler } from 'express';
import { createDocument } from 'zod-openapi';
import type { Method, RouteDocs } from './route-docs';

/**
 * The server's OpenAPI 3.1 document, made from what its routes registered with their zod
 * schemas ({@link RouteDocs}), and a page that lists it for people (`/docs`). Both are
 * public: they describe the API, not anything stored in it.
 */

/** The OpenAPI document, as `createDocument` makes it. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

/** Ways of presenting credentials, named by the operations' `security`. */
const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>` (see ATTUNE_API_KEYS; roles ingest, read, turns, admin).' },
  apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key, in a header of its own.' },
  writeKey: { type: 'http', scheme: 'basic', description: 'Segment and RudderStack clients: the key as Basic auth username, empty password (or `writeKey` in the body).' },
  botFramework: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "Bot Framework's signed token, checked against the bot's app id." },
  webhookBasic: { type: 'http', scheme: 'basic', description: "The username and password of the agent's webhook settings." },
  webhookHeader: { type: 'apiKey', in: 'header', name: 'x-webhook-secret', description: "A secret header of the agent's webhook settings (DIALOGFLOW_WEBHOOK_SECRET; its name from DIALOGFLOW_WEBHOOK_HEADER)." },
  rasaToken: { type: 'apiKey', in: 'query', name: 'token', description: "The token of Rasa's action_endpoint (ATTUNE_RASA_TOKEN), which Rasa sends as a query parameter." },
} as const;

/** What {@link openApiDocument} says about the service itself. */
export interface OpenApiInfo {
  title?: string;
  version?: string;
}

/**
 * The OpenAPI 3.1 document of every documented route.
 *
 * ```ts
 * const doc = openApiDocument(docs, { version: '0.1.0' });
 * ```
 */
export function openApiDocument(docs: RouteDocs, info: OpenApiInfo = {}): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'Attune',
      version: info.version ?? '0.1.0',
      description: 'The personalization layer for chatbots: Segment-compatible ingestion, turns of any HTTP bot, profiles and recommendations, the user’s rights, and the framework endpoints.',
    },
    components: { securitySchemes: SECURITY_SCHEMES },
    paths: docs.paths,
  });
}

/** `GET /openapi.json`: the document, made once on first request (every route is registered by then). */
export function openApiHandler(docs: RouteDocs, info?: OpenApiInfo): RequestHandler {
  let text: string | undefined;
  return (_req, res) => {
    text ??= JSON.stringify(openApiDocument(docs, info));
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(text);
  };
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /docs`: every operation on one plain page (method, path, summary, description, who may
 * call it), with a link to the document. No script and nothing from elsewhere, so it passes
 * the server's content security policy as it is.
 */
export function docsPageHandler(docs: RouteDocs, info?: OpenApiInfo): RequestHandler {
  let html: string | undefined;
  return (_req, res) => {
    html ??= docsPage(openApiDocument(docs, info));
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(html);
  };
}

function docsPage(doc: OpenApiDocument): string {
  const rows: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'delete'] as Method[]) {
      const op = item?.[method];
      if (!op) continue;
      const security = (op.security ?? []).flatMap((s) => Object.keys(s)).join(', ') || 'none';
      rows.push(
        `<section><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2><p>${escape(op.summary ?? '')}</p>${op.description ? `<p>${escape(op.description)}</p>` : ''}<p class="auth">credentials: ${escape(security)}</p></section>`,
      );
    }
  }
  const title = escape(doc.info.title);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} API</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}h2{font-size:1rem;margin:1.5rem 0 .25rem}code{background:#f3f3f3;padding:.1rem .3rem}.auth{color:#555;font-size:.9rem}</style></head><body><h1>${title} API ${escape(doc.info.version)}</h1><p>The machine-readable document: <a href="openapi.json">openapi.json</a> (OpenAPI ${escape(doc.openapi)}).</p>${rows.join('')}</body></html>`;
}
