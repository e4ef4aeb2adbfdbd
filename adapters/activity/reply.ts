import type { Recommendation } from '../../src/core/personalization';
import type { Reply } from '../../src/core/turn';
import { itemDetails as details, itemTitle as title } from '../http/present';
import { CHANNEL_DATA_KEY } from './turn';

/*
 * Recommendations on an outgoing activity, as the protocol carries them: suggested actions
 * (quick replies), or a carousel of hero cards or Adaptive Cards. Plain JSON, the same that
 * each SDK's `CardFactory` makes, so either SDK's adapter can use it.
 */

/** A button of a card or a suggested action. */
export interface WireCardAction {
  type: string;
  title: string;
  value?: unknown;
}

/** An attachment (a card). */
export interface WireAttachment {
  contentType: string;
  content?: unknown;
}

/** The fields of an outgoing activity a reply sets. */
export interface WireReply {
  type?: string;
  text?: string;
  channelData?: unknown;
  recipient?: { id?: string };
  suggestedActions?: { actions: WireCardAction[]; to?: string[] };
  attachments?: WireAttachment[];
  attachmentLayout?: string;
}

/** Which card a carousel is made of. */
export type CardKind = 'hero' | 'adaptive';

/** What a card's "View" button sends back (a postBack's value, an Adaptive Card's `Action.Submit` data). */
export interface ViewClick {
  attune: 'view';
  itemId: string;
}

/** The item a card click is about, when the turn's value is a {@link ViewClick}. */
export function clickedItem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return v.attune === 'view' && typeof v.itemId === 'string' && v.itemId.length > 0 && v.itemId.length <= 512 ? v.itemId : undefined;
}

/** Applies a transformed reply to the outgoing activity: text, suggested actions or a carousel of `cards`. */
export function applyReply(activity: WireReply, reply: Reply, cards: CardKind = 'hero'): void {
  if (reply.text !== undefined && activity.text !== undefined) activity.text = reply.text;
  const data = activity.channelData as Record<string, unknown> | undefined;
  if (data && CHANNEL_DATA_KEY in data) {
    const { [CHANNEL_DATA_KEY]: _marker, ...rest } = data;
    activity.channelData = Object.keys(rest).length ? rest : undefined;
  }
  const recs = reply.recommendations;
  if (!recs?.length) return;
  if (reply.style === 'carousel') {
    activity.attachmentLayout = 'carousel';
    activity.attachments = [...(activity.attachments ?? []), ...recs.map(cards === 'adaptive' ? adaptiveCard : heroCard)];
  } else {
    activity.suggestedActions = {
      actions: [...(activity.suggestedActions?.actions ?? []), ...recs.map(suggestion)],
      to: activity.recipient?.id ? [activity.recipient.id] : [],
    };
  }
}

/**
 * A message asking a question with quick replies (an onboarding question): each choice is a
 * suggested action that sends its label back as the user's text.
 */
export function choicesActivity(reply: Reply): WireReply {
  return { type: 'message', text: reply.text, suggestedActions: { actions: (reply.choices ?? []).map(choiceAction) } };
}

function choiceAction(c: { label: string }): WireCardAction {
  return { type: 'imBack', title: c.label.slice(0, 50), value: c.label };
}

function view(r: Recommendation): ViewClick {
  return { attune: 'view', itemId: r.itemId };
}

function suggestion(r: Recommendation): WireCardAction {
  return { type: 'imBack', title: title(r).slice(0, 50), value: `Tell me about ${title(r)}` };
}

/** A hero card, as `CardFactory.heroCard` makes it; the reason in words is its subtitle. */
function heroCard(r: Recommendation): WireAttachment {
  const text = details(r);
  return {
    contentType: 'application/vnd.microsoft.card.hero',
    content: { subtitle: r.explanation, title: title(r), ...(text ? { text } : {}), ...(r.item?.image ? { images: [{ url: r.item.image }] } : {}), buttons: [{ type: 'postBack', title: 'View', value: view(r) }] },
  };
}

/** An Adaptive Card (schema 1.4, which Teams, Web Chat and Outlook render) whose button submits the click. */
function adaptiveCard(r: Recommendation): WireAttachment {
  const text = details(r);
  const body: Record<string, unknown>[] = [{ type: 'TextBlock', text: title(r), weight: 'Bolder', size: 'Medium', wrap: true }];
  if (r.explanation) body.push({ type: 'TextBlock', text: r.explanation, isSubtle: true, spacing: 'None', wrap: true });
  if (text) body.push({ type: 'TextBlock', text, wrap: true });
  if (r.item?.image) body.push({ type: 'Image', url: r.item.image, altText: title(r) });
  return {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body, actions: [{ type: 'Action.Submit', title: 'View', data: view(r) }] },
  };
}
