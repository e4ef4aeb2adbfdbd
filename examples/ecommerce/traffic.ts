/**
 * `npm run demo:traffic`: a bounded population of simulated shoppers with planted preferences
 * (`shoppers.ts`) talks to the running shop over HTTP, as any bot's users would: each turn goes
 * to `POST /v1/turns` asking for recommendations, what they click and order goes to
 * `POST /v1/batch` as Segment e-commerce events. At the end it prints the experiment's results
 * from `GET /v1/experiments/recs-policy/results`.
 *
 *   ATTUNE_API_KEYS=demo-admin-key-0123456789:admin ATTUNE_RATE_LIMIT_PER_MINUTE=100000 npm start
 *   ATTUNE_API_KEY=demo-admin-key-0123456789 npm run demo:traffic -- --shoppers 400 --seed 1
 *
 * ATTUNE_URL says where the shop is (default http://127.0.0.1:3978). The key needs the
 * `turns`, `ingest` and `read` roles (an admin key has them all).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import catalog from './catalog.json';
import { DEFAULT_BEHAVIOUR, react, shopper, type ShopperBehaviour, type ShownItem } from './shoppers';

/** Options of {@link runTraffic}. */
export interface TrafficOptions {
  /** The shop, e.g. `http://127.0.0.1:3978`. */
  baseUrl: string;
  /** An API key with the turns and ingest roles; none when the shop runs without keys. */
  apiKey?: string;
  /** How many shoppers (default 400). */
  shoppers?: number;
  /** Seed of the population (default 1). */
  seed?: number;
  /** Shoppers talking at the same time (default 4). */
  concurrency?: number;
  behaviour?: ShopperBehaviour;
}

/** What the traffic did, per variant the shop put shoppers in. */
export interface TrafficSummary {
  shoppers: number;
  turns: number;
  byVariant: Record<string, { shoppers: number; shown: number; clicks: number; orders: number }>;
}

interface TurnAnswer {
  variant?: string;
  reply?: { recommendations?: { itemId: string; item?: { category?: string; price?: number } }[] };
}

const CATEGORIES = [...new Set(catalog.map((i) => i.category))].sort();
const MAX_RETRIES = 5;

/**
 * Runs the population against the shop and resolves with what it did.
 *
 * ```ts
 * const summary = await runTraffic({ baseUrl: 'http://127.0.0.1:3978', apiKey, shoppers: 400 });
 * ```
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficSummary> {
  const { baseUrl, apiKey, shoppers = 400, seed = 1, concurrency = 4, behaviour = DEFAULT_BEHAVIOUR } = options;
  const summary: TrafficSummary = { shoppers, turns: 0, byVariant: {} };
  const post = (path: string, body: unknown) => call(baseUrl, path, apiKey, body);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < shoppers; i = next++) {
      const s = shopper(seed, i, CATEGORIES);
      let counted = false;
      for (const [n, texts] of s.sessions.entries()) {
        const sessionId = `${s.userId}:s${n}`;
        for (const text of texts) {
          const answer = (await post('/v1/turns', { userId: s.userId, sessionId, text, reply: { text: 'Here are some picks for you:', recommend: { k: 4 } } })) as TurnAnswer;
          summary.turns++;
          const arm = (summary.byVariant[answer.variant ?? 'none'] ??= { shoppers: 0, shown: 0, clicks: 0, orders: 0 });
          if (!counted) {
            arm.shoppers++;
            counted = true;
          }
          const shown: ShownItem[] = (answer.reply?.recommendations ?? []).map((r) => ({ itemId: r.itemId, category: r.item?.category, price: r.item?.price }));
          arm.shown += shown.length;
          const { clicked, ordered } = react(s, shown, behaviour);
          const events: unknown[] = clicked.map((item) => ({ type: 'track', userId: s.userId, event: 'Product Clicked', properties: { product_id: item.itemId, category: item.category, price: item.price, sessionId } }));
          if (ordered) {
            events.push({
              type: 'track',
              userId: s.userId,
              event: 'Order Completed',
              properties: { order_id: randomUUID(), revenue: ordered.price ?? 0, products: [{ product_id: ordered.itemId, category: ordered.category, price: ordered.price, quantity: 1 }] },
            });
          }
          arm.clicks += clicked.length;
          if (ordered) arm.orders++;
          if (events.length) await post('/v1/batch', { batch: events });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return summary;
}

/** One JSON call, waiting out rate limits (`Retry-After`) a few times; anything else non-2xx throws. */
async function call(baseUrl: string, path: string, apiKey: string | undefined, body?: unknown): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 429 && attempt < MAX_RETRIES) {
      const wait = Math.min(60, Number(res.headers.get('retry-after') ?? 1) || 1);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    const json = (await res.json()) as { message?: string };
    if (!res.ok) throw new Error(`${path}: ${res.status} ${json.message ?? ''}`.trim());
    return json;
  }
}

const Args = z.object({
  shoppers: z.coerce.number().int().min(1).max(100_000).default(400),
  seed: z.coerce.number().int().min(0).default(1),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
});

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { shoppers: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' } } });
  const parsed = Args.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const baseUrl = (process.env.ATTUNE_URL ?? 'http://127.0.0.1:3978').replace(/\/$/, '');
  const apiKey = process.env.ATTUNE_API_KEY;
  process.stdout.write(`demo traffic: ${parsed.data.shoppers} shoppers (seed ${parsed.data.seed}) → ${baseUrl}\n`);
  const summary = await runTraffic({ baseUrl, apiKey, ...parsed.data });
  process.stdout.write(`${summary.turns} turns\n`);
  for (const [variant, a] of Object.entries(summary.byVariant)) {
    process.stdout.write(`  ${variant}: ${a.shoppers} shoppers, ${a.shown} items shown, ${a.clicks} clicks, ${a.orders} orders\n`);
  }
  const results = (await call(baseUrl, '/v1/experiments/recs-policy/results', apiKey)) as { summary: string[] };
  process.stdout.write(`results of recs-policy:\n${results.summary.map((l) => `  ${l}\n`).join('')}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo traffic: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
