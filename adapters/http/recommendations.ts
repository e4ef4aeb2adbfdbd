import type { RequestHandler } from 'express';
import { z } from 'zod';
import { RecommendFilterSchema } from '../../src/core/filter';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import { listBody } from './list-body';

/** A comma-separated (or repeated) query parameter as a list: `?category=yoga,running`. */
const list = z
  .union([z.string().max(2048), z.array(z.string().max(2048)).max(32)])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(RecommendFilterSchema.shape.categories.unwrap());

/** The query of `GET /v1/users/:id/recommendations`: what the route documents and validates. */
export const RecommendQuery = z.object({
  k: z.coerce.number().int().min(1).max(100).default(10),
  locale: z.string().max(35).optional(),
  channel: z.string().max(64).optional(),
  maxPrice: z.coerce.number().nonnegative().optional(),
  minPrice: z.coerce.number().nonnegative().optional(),
  category: list.optional(),
  tag: list.optional(),
});

/** A parsed {@link RecommendQuery}. */
export type RecommendQueryValue = z.output<typeof RecommendQuery>;

/** The path parameters of the user routes. */
export const UserParams = z.object({ id: z.string().min(1).max(512) });

/** `k` as its canonical text: 1 to 100, no sign, no leading zero, no spaces. */
const CANONICAL_K = /^(?:[1-9][0-9]?|100)$/;

/**
 * The common query (`k`, `locale`, `channel`, each once, `k` written plainly) read without
 * zod, or undefined for anything else. What it returns is what {@link RecommendQuery} gives
 * the same query (a property test holds it to that); everything it does not return, the
 * schema reads, so every other query, and every bad one, gets the schema's answer and its 400.
 */
function commonQuery(query: unknown): RecommendQueryValue | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  let k = 10;
  let locale: string | undefined;
  let channel: string | undefined;
  for (const [key, v] of Object.entries(query)) {
    if (typeof v !== 'string') return undefined;
    if (key === 'k' && CANONICAL_K.test(v)) k = Number(v);
    else if (key === 'locale' && v.length <= 35) locale = v;
    else if (key === 'channel' && v.length <= 64) channel = v;
    else return undefined;
  }
  const out: RecommendQueryValue = { k };
  if (locale !== undefined) out.locale = locale;
  if (channel !== undefined) out.channel = channel;
  return out;
}

/**
 * The query of the recommendations route, parsed as {@link RecommendQuery} parses it (the
 * same value, the same ValidationError), the common shape without zod's work per request.
 *
 * ```ts
 * parseRecommendQuery({ k: '5', locale: 'de-DE' }); // { k: 5, locale: 'de-DE' }
 * ```
 */
export function parseRecommendQuery(query: unknown): RecommendQueryValue {
  return commonQuery(query) ?? parse(RecommendQuery, query, 'query');
}

/** The user id of the path, as {@link UserParams} reads it; a plain id of a usual length is taken as it is. */
export function parseUserId(params: unknown): string {
  const id = (params as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id.length >= 1 && id.length <= 512) return id;
  return parse(UserParams, params, 'path').id;
}

/**
 * `GET /v1/users/:id/recommendations`: the user's list as `{ userId, recommendations }`,
 * with a weak ETag (the list's bytes and tag are made once per remembered list, see
 * {@link listBody}); `If-None-Match` with it is answered 304.
 *
 * ```ts
 * router.get('/users/:id/recommendations', read, recommendationsHandler(attune));
 * ```
 */
export function recommendationsHandler(attune: Attune): RequestHandler {
  return async (req, res) => {
    const id = parseUserId(req.params);
    const q = parseRecommendQuery(req.query);
    const filter = { maxPrice: q.maxPrice, minPrice: q.minPrice, categories: q.category, tags: q.tag };
    const recommendations = await attune.recommend(id, { k: q.k, context: { locale: q.locale, channel: q.channel }, filter });
    const { body, etag } = listBody(id, recommendations);
    // Express's send answers 304 itself when the request's If-None-Match is this tag.
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', etag);
    res.send(body);
  };
}
