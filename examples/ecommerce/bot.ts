import { ActionTypes, ActivityHandler, ConversationState, MemoryStorage, MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { getPersonalization, withRecommendations } from '../../adapters/botbuilder';
import { isFeedbackValue } from '../../middleware/feedback';
import { EcommerceEvents } from '../../src/core/ecommerce';
import type { CatalogItem } from '../../src/core/catalog';
import type { RecommendFilter } from '../../src/core/filter';
import type { Attune } from '../../src/engine/attune';
import { passesFilter } from '../../src/recommend/filter';
import { describeFilter, nextFilter, parseRefinement, type Refinement } from './refine';

/** What the bot remembers of one conversation: the list it showed, and what it was narrowed to. */
interface ShopMemory {
  filter?: RecommendFilter;
  /** Items of the last list shown, with their prices ("cheaper" is below these). */
  shown?: { id: string; price?: number }[];
  /** The item the user looked at last ("I bought it" means this one). */
  lastItem?: string;
}

/** How many items each list shows. */
const K = 5;

/** "I bought the shoes", "just ordered it, thanks", "I'll take them". */
const PURCHASE = /\b(i\s+(just\s+|have\s+|'ve\s+)?(bought|purchased|ordered)|i'?ll take (it|them|that|those|the)|i took (it|them|the))\b/i;

/**
 * The shop assistant of the case study. It knows nothing about personalization: it asks
 * Attune for recommendations (`withRecommendations`, with a `filter` when the shopper
 * narrows the list down), tracks what the user looks at and buys, and offers "Was this
 * helpful?" buttons, whose answers Attune's feedback stage records. Attune does the rest
 * (profile, segments, tone, which items to suggest, and why).
 */
export class ShopBot extends ActivityHandler {
  private readonly state: ConversationState;
  private readonly memory: StatePropertyAccessor<ShopMemory>;
  private readonly vocabulary: { categories: string[]; tags: string[] };

  constructor(private readonly attune: Attune) {
    super();
    this.state = new ConversationState(new MemoryStorage());
    this.memory = this.state.createProperty<ShopMemory>('shop');
    const items = attune.catalog.all();
    this.vocabulary = { categories: attune.catalog.categoryNames(), tags: [...new Set(items.flatMap((i) => i.tags ?? []))] };
    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (newcomers.length) {
        await context.sendActivity(withRecommendations('Hello! I am the Attune demo shop assistant. Ask me about running, yoga, camping, cycling and more. A few ideas from across the shop:'));
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  /** Runs the turn, then saves what the bot remembers of the conversation. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.state.saveChanges(context);
  }

  private async answer(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const value: unknown = context.activity.value;
    const memory = await this.memory.get(context, {});
    const userId = context.activity.from.id;

    // "Was this helpful?": Attune's feedback stage has recorded the answer already.
    if (isFeedbackValue(value)) {
      await context.sendActivity(value.helpful ? 'Thanks, glad it helped!' : 'Thanks for telling me. Try "cheaper ones", "under 50" or another category.');
      return;
    }
    const picked = typeof value === 'object' && value !== null && typeof (value as { itemId?: unknown }).itemId === 'string' ? this.attune.catalog.get((value as { itemId: string }).itemId) : undefined;
    const item = picked ?? this.findItem(text);

    if (/^(buy|order)\b/i.test(text) && item) return this.bought(context, memory, item);
    if (PURCHASE.test(text)) {
      // A purchase said in free text is about the item named, else the one last viewed, else the first last shown.
      const about = item ?? this.itemNamedAmongShown(text, memory) ?? this.attune.catalog.get(memory.lastItem ?? memory.shown?.[0]?.id ?? '');
      if (about) return this.bought(context, memory, about);
    }
    if (item) {
      memory.lastItem = item.id;
      await this.track({ userId, event: EcommerceEvents.ProductViewed, properties: { product_id: item.id, category: item.category, price: item.price } });
      await this.show(context, memory, `${item.title}: ${item.description} It costs ${item.price?.toFixed(2) ?? 'n/a'}. Say "buy ${item.title}" to order it. Related picks:`);
      return;
    }
    if (/^(help|\?)$/i.test(text)) {
      await context.sendActivity('Tell me what you are looking for ("trail running shoes", "a yoga mat"), narrow it down ("cheaper ones", "under 30 dollars", "between 20 and 50", "yoga instead"), ask for "recommendations", or say "buy <product name>" or "I bought it".');
      return;
    }
    const refinement = parseRefinement(text, this.vocabulary);
    if (refinement) return this.refine(context, memory, refinement);

    // Nothing specific: the personal list, with a heading that says why honestly.
    memory.filter = undefined;
    const p = getPersonalization(context);
    const first = p?.recommendations[0];
    // Without a list (Attune degraded) the reply reads as it did before Attune: what is popular.
    const heading = !first || first.reason.startsWith('popular') ? `Here's what is popular today:` : first.reason === 'catalog' ? 'A few ideas from across the shop:' : `Picked for you, ${first.explanation}:`;
    await this.show(context, memory, heading);
  }

  /** Narrows the list as asked, loosening tags and then the price when nothing would be left. */
  private async refine(context: TurnContext, memory: ShopMemory, r: Refinement): Promise<void> {
    const prices = (memory.shown ?? []).flatMap((s) => (s.price === undefined ? [] : [s.price]));
    const wanted = nextFilter(memory.filter, r, prices);
    const available = (f: RecommendFilter) => this.attune.catalog.all().some((i) => passesFilter(i, f));
    let filter = wanted;
    let note = '';
    if (!available(filter) && filter.tags) {
      const { tags: _tags, ...looser } = filter;
      filter = looser;
      note = `I have no ${describeFilter(wanted)}, but here are `;
    }
    if (!available(filter)) {
      await context.sendActivity(`Sorry, I have nothing in ${describeFilter(wanted)}. Try another price or category.`);
      return;
    }
    memory.filter = filter;
    await this.show(context, memory, note ? `${note}${describeFilter(filter)}:` : `Here are ${describeFilter(filter)} for you:`, { style: 'carousel', filter });
    await context.sendActivity(
      MessageFactory.suggestedActions(
        [
          { type: ActionTypes.PostBack, title: '👍 Yes', value: { attune: 'feedback', helpful: true, items: memory.shown?.map((s) => s.id) } },
          { type: ActionTypes.PostBack, title: '👎 No', value: { attune: 'feedback', helpful: false, items: memory.shown?.map((s) => s.id) } },
        ],
        'Was this helpful?',
      ),
    );
  }

  /** Sends `text` with recommendations, and remembers which items were shown. */
  private async show(context: TurnContext, memory: ShopMemory, text: string, options: { style?: 'carousel'; filter?: RecommendFilter } = {}): Promise<void> {
    await context.sendActivity(withRecommendations(text, { k: K, ...options }));
    const shown = getPersonalization(context)?.recommendations.slice(0, K) ?? [];
    memory.shown = shown.map((r) => ({ id: r.itemId, price: r.item?.price }));
  }

  private async bought(context: TurnContext, memory: ShopMemory, item: CatalogItem): Promise<void> {
    await this.track({
      userId: context.activity.from.id,
      event: EcommerceEvents.OrderCompleted,
      properties: { order_id: `demo-${Date.now()}`, revenue: item.price, products: [{ product_id: item.id, category: item.category, price: item.price, quantity: 1 }] },
    });
    memory.lastItem = item.id;
    memory.filter = undefined;
    await this.show(context, memory, `Thanks for your order of the ${item.title}! You might also like:`);
  }

  /**
   * Tracks what the user did without letting it break the reply: when the store is down the
   * event is lost (and logged), and the user still gets an answer, as Attune's own turn does.
   */
  private async track(event: Parameters<Attune['track']>[0]): Promise<void> {
    try {
      await this.attune.track(event);
    } catch (err) {
      this.attune.logger.warn({ err, event: event.event }, 'shop bot: could not track the event; the reply goes on without it');
    }
  }

  private findItem(text: string): CatalogItem | undefined {
    const t = text.toLowerCase().replace(/^(buy|order|tell me about)\s+(the\s+)?/, '');
    if (t.length < 4) return undefined;
    return this.attune.catalog.all().find((i) => i.title.toLowerCase() === t || t.includes(i.title.toLowerCase()));
  }

  /** "I bought the shoes": the last shown or viewed item whose title has one of the words said. */
  private itemNamedAmongShown(text: string, memory: ShopMemory): CatalogItem | undefined {
    const words = (text.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((w) => !['bought', 'purchased', 'ordered', 'thanks', 'take', 'just', 'have'].includes(w));
    const ids = [memory.lastItem, ...(memory.shown ?? []).map((s) => s.id)].filter((id): id is string => id !== undefined);
    const stem = (w: string) => w.replace(/s$/, '');
    return ids.map((id) => this.attune.catalog.get(id)).find((i) => i && words.some((w) => i.title.toLowerCase().split(/\s+/).some((tw) => stem(tw) === stem(w))));
  }
}
