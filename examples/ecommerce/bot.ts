import { ActivityHandler, type TurnContext } from 'botbuilder';
import { getPersonalization, withRecommendations } from '../../adapters/botbuilder';
import { EcommerceEvents } from '../../src/core/ecommerce';
import type { CatalogItem } from '../../src/core/catalog';
import type { Attune } from '../../src/engine/attune';

/**
 * The shop assistant of the case study. It knows nothing about personalization: it asks
 * Attune for recommendations (`withRecommendations`) and tracks what the user looks at and
 * buys; Attune does the rest (profile, segments, tone, which items to suggest).
 */
export class ShopBot extends ActivityHandler {
  constructor(private readonly attune: Attune) {
    super();
    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (newcomers.length) {
        await context.sendActivity(withRecommendations('Hello! I am the Attune demo shop assistant. Ask me about running, yoga, camping, cycling and more. Popular right now:'));
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const value = context.activity.value as { attune?: string; itemId?: string } | undefined;
    const userId = context.activity.from.id;
    const item = value?.itemId ? this.attune.catalog.get(value.itemId) : this.findItem(text);

    if (/^(buy|order)\b/i.test(text) && item) {
      await this.track({ userId, event: EcommerceEvents.OrderCompleted, properties: { order_id: `demo-${Date.now()}`, revenue: item.price, products: [{ product_id: item.id, category: item.category, price: item.price, quantity: 1 }] } });
      await context.sendActivity(withRecommendations(`Thanks for your order of the ${item.title}! You might also like:`));
      return;
    }
    if (item) {
      await this.track({ userId, event: EcommerceEvents.ProductViewed, properties: { product_id: item.id, category: item.category, price: item.price } });
      await context.sendActivity(withRecommendations(`${item.title}: ${item.description} It costs ${item.price?.toFixed(2) ?? 'n/a'}. Say "buy ${item.title}" to order it. Related picks:`));
      return;
    }
    if (/^(help|\?)$/i.test(text)) {
      await context.sendActivity('Tell me what you are looking for ("trail running shoes", "a yoga mat"), ask for "recommendations", or say "buy <product name>".');
      return;
    }
    const p = getPersonalization(context);
    const mentioned = this.attune.mentions.categories(text);
    if (mentioned.size) {
      const category = [...mentioned.keys()][0];
      await context.sendActivity(withRecommendations(`Here are some ${category} picks for you:`, { style: 'carousel', k: 5 }));
      return;
    }
    const top = p?.recommendations[0]?.item?.category;
    await context.sendActivity(withRecommendations(top ? `I think you'll like these ${top} picks:` : `Here's what is popular today:`));
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
}
