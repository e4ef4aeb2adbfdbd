import { ActivityHandler, type TurnContext } from '@microsoft/agents-hosting';
import { clickedItem, getPersonalization, withRecommendations } from '../../adapters/agents';
import { isFeedbackValue } from '../../middleware/feedback';
import type { Attune } from '../../src/engine/attune';

/**
 * A shop agent on the Microsoft 365 Agents SDK. Like the Bot Framework shop bot, it knows
 * nothing about personalization: it asks Attune for recommendations (`withRecommendations`),
 * and Attune picks them, writes the reply in the user's tone, shows them as suggested actions
 * or a carousel of Adaptive Cards, and records reactions and card clicks as feedback.
 */
export class ShopAgent extends ActivityHandler {
  constructor(private readonly attune: Attune) {
    super();
    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (newcomers.length) await context.sendActivity(withRecommendations('Hello! Ask me about running, yoga, camping, cycling and more. A few ideas:'));
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const value: unknown = context.activity.value;
    if (isFeedbackValue(value)) {
      await context.sendActivity(value.helpful ? 'Thanks, glad it helped!' : 'Thanks for telling me.');
      return;
    }
    // A click on a card's "View": Attune has recorded it (Product Clicked) before this runs.
    const clicked = this.attune.catalog.get(clickedItem(value) ?? '');
    if (clicked) {
      await context.sendActivity(withRecommendations(`${clicked.title}: ${clicked.description} Similar picks:`, { style: 'carousel', k: 3 }));
      return;
    }
    const text = (context.activity.text ?? '').trim();
    const first = getPersonalization(context)?.recommendations[0];
    // Without a list (Attune degraded) the reply reads as it would without Attune.
    const heading = !first || first.reason.startsWith('popular') ? `Here's what is popular today:` : `Picked for you, ${first.explanation}:`;
    await context.sendActivity(withRecommendations(heading, /\b(show|cards|carousel)\b/i.test(text) ? { style: 'carousel', k: 3 } : { k: 3 }));
  }
}
