import type { SessionEntityTypesClient } from '@google-cloud/dialogflow';
import type { Logger } from 'pino';
import type { Personalization } from '../../src/core/personalization';
import { favouriteCategories } from './fulfill';

/** The one call Attune makes: `SessionEntityTypes.CreateSessionEntityType` (it overrides an existing one). */
export type SessionEntityTypesApi = Pick<SessionEntityTypesClient, 'createSessionEntityType'>;

/**
 * A `SessionEntityTypesClient` on the REST transport (HTTP/1.1 + JSON instead of gRPC): lighter
 * for a webhook and what corporate proxies let through. Credentials come from the usual
 * Application Default Credentials unless `options` says otherwise. Regional agents need
 * `apiEndpoint: '<location>-dialogflow.googleapis.com'`.
 *
 * ```ts
 * const client = restSessionEntityTypesClient({ keyFilename: 'service-account.json' });
 * ```
 */
export function restSessionEntityTypesClient(options: ConstructorParameters<typeof SessionEntityTypesClient>[0] = {}): SessionEntityTypesClient {
  // Loaded here, not at the top: the SDK (with its gRPC stack) is an optional peer dependency,
  // and a webhook without session entities runs without it installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@google-cloud/dialogflow') as typeof import('@google-cloud/dialogflow');
  return new sdk.SessionEntityTypesClient({ ...options, fallback: true });
}

/** Options of {@link SessionEntities}. */
export interface SessionEntitiesOptions {
  client: SessionEntityTypesApi;
  /** The agent's entity type for products (default `product`): values are item ids, synonyms titles. */
  productEntityType?: string;
  /** The agent's entity type for categories (default `category`). */
  categoryEntityType?: string;
  /** How many recommended products to push (default 5). */
  k?: number;
}

const REMEMBERED = 10_000;
type Entity = { value: string; synonyms: string[] };

/**
 * Pushes per-session entity values to Dialogflow ES so that its NLU recognizes, from the next
 * turn on, the products Attune recommends and the categories the user likes (entity override
 * mode SUPPLEMENT: the agent's own values stay). Pushes run off the reply's critical path: a
 * failure is logged and never touches the conversation. Unchanged values are not pushed again.
 *
 * ```ts
 * app.post('/dialogflow', dialogflowWebhook(attune, { sessionEntities: { client: restSessionEntityTypesClient() } }));
 * ```
 */
export class SessionEntities {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly last = new Map<string, string>();

  constructor(
    private readonly options: SessionEntitiesOptions,
    private readonly logger: Logger,
  ) {}

  /** Starts pushing the session's values; returns at once. */
  push(session: string, p: Personalization): void {
    const products: Entity[] = p.recommendations.slice(0, this.options.k ?? 5).map((r) => ({ value: r.itemId, synonyms: [r.item?.title ?? r.itemId] }));
    const categories: Entity[] = favouriteCategories(p).map((c) => ({ value: c, synonyms: [c] }));
    const types: [string, Entity[]][] = [
      [this.options.productEntityType ?? 'product', products],
      [this.options.categoryEntityType ?? 'category', categories],
    ];
    for (const [type, entities] of types) {
      if (!entities.length) continue;
      const name = `${session}/entityTypes/${type}`;
      const fingerprint = JSON.stringify(entities);
      if (this.last.get(name) === fingerprint) continue;
      this.remember(name, fingerprint);
      const call = this.options.client
        .createSessionEntityType({ parent: session, sessionEntityType: { name, entityOverrideMode: 'ENTITY_OVERRIDE_MODE_SUPPLEMENT', entities } })
        .then(
          () => undefined,
          (err: unknown) => {
            this.last.delete(name);
            this.logger.warn({ err, entityType: type }, 'attune/dialogflow: could not push session entities');
          },
        );
      this.inFlight.add(call);
      // Fire and forget: `call` handles its own rejection above, so this never rejects.
      void call.finally(() => this.inFlight.delete(call));
    }
  }

  /** Resolves when every push started so far has finished (for shutdown and tests). */
  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private remember(name: string, fingerprint: string): void {
    this.last.delete(name);
    this.last.set(name, fingerprint);
    // Oldest first in insertion order: drop the oldest beyond the bound.
    if (this.last.size > REMEMBERED) this.last.delete(this.last.keys().next().value as string);
  }
}
