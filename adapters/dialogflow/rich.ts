import type { Recommendation } from '../../src/core/personalization';
import type { RecommendationStyle } from '../../src/core/turn';
import { cardSubtitle, itemTitle as title } from '../http/present';

/**
 * Recommendations in each platform's own rich format: what Dialogflow's integrations render
 * (Actions on Google, Slack, Facebook Messenger, the console/Messenger widget), and spoken
 * text where nothing can be shown (telephony).
 */

type Json = Record<string, unknown>;

// Cards carry why an item was picked above what it is (present.ts).
const subtitle = (r: Recommendation) => cardSubtitle(r);

/** What pressing a recommendation says back to the agent: text its NLU can match. */
export const postbackFor = (r: Recommendation) => `Tell me about ${title(r)}`;

/** "You might like A, B and C." — for voice. */
export function spokenList(recs: readonly Recommendation[]): string {
  const names = recs.map(title);
  if (!names.length) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `You might like ${list}.`;
}

/** What a turn's replies amount to: texts to send, recommendations shown, and their style. */
export interface ReplyParts {
  texts: string[];
  recs: Recommendation[];
  style: RecommendationStyle;
}

/** Collects the replies' texts and recommendations; on a phone call the recommendations are spoken. */
export function replyParts(replies: readonly { text?: string; recommendations?: Recommendation[]; style?: RecommendationStyle }[], source: string): ReplyParts {
  const recs = replies.flatMap((r) => r.recommendations ?? []);
  const style = replies.find((r) => r.recommendations?.length)?.style ?? 'suggestions';
  const texts = replies.map((r) => r.text).filter((t): t is string => Boolean(t));
  // Nothing can be shown on a call: the recommendations become a sentence.
  if (source === 'telephony' && recs.length) texts.push(spokenList(recs));
  return { texts, recs, style };
}

/** A question's quick replies (an onboarding question): what pressing one sends is its label. */
export type Choices = readonly { label: string }[];

/** The choices of a turn's replies, with the text of the reply that asks. */
export function choicesOf(replies: readonly { text?: string; choices?: Choices }[]): { text: string; choices: Choices } | undefined {
  const asking = replies.find((r) => r.choices?.length);
  return asking?.choices ? { text: asking.text ?? '', choices: asking.choices } : undefined;
}

/** ES: a question's choices in the source platform's quick replies (on a call, a spoken "A, B or C?"). */
export function esChoices(source: string, text: string, choices: Choices): Json[] {
  const labels = choices.map((c) => c.label);
  switch (source) {
    case 'telephony':
      return [{ text: { text: [`${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}?`] } }];
    case 'slack':
      return [{ platform: 'SLACK', payload: { slack: { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, { type: 'actions', block_id: 'attune-choices', elements: labels.slice(0, 25).map((l, i) => ({ type: 'button', action_id: `attune-choice-${i}`, text: { type: 'plain_text', text: l.slice(0, 75) }, value: l })) }] } } }];
    case 'facebook':
      return [{ platform: 'FACEBOOK', payload: { facebook: { text, quick_replies: labels.slice(0, 13).map((l) => ({ content_type: 'text', title: l.slice(0, 20), payload: l })) } } }];
    default: {
      const platform = ES_PLATFORM[source];
      return [{ ...(platform ? { platform } : {}), quickReplies: { title: text || 'Choose one', quickReplies: labels.map((l) => l.slice(0, 20)) } }];
    }
  }
}

/** CX: a question's choices as Dialogflow Messenger chips (nothing on a call: the question is spoken). */
export function cxChoices(source: string, choices: Choices): Json[] {
  if (source === 'telephony' || !choices.length) return [];
  return [{ payload: { richContent: [[{ type: 'chips', options: choices.map((c) => ({ text: c.label })) }]] } }];
}

/** ES `Intent.Message.Platform` per integration source, for the generic rich messages. */
const ES_PLATFORM: Record<string, string> = {
  telegram: 'TELEGRAM',
  kik: 'KIK',
  skype: 'SKYPE',
  line: 'LINE',
  viber: 'VIBER',
  hangouts: 'GOOGLE_HANGOUTS',
};

/** ES rich content: `fulfillmentMessages` to add, and the `payload` for Actions on Google. */
export interface EsRich {
  messages: Json[];
  payload?: Json;
}

/** Recommendations for an ES integration `source`, beside the reply `text`. */
export function esRich(source: string, text: string, recs: readonly Recommendation[], style: RecommendationStyle): EsRich {
  if (!recs.length) return { messages: [] };
  switch (source) {
    case 'google':
      return { messages: [], payload: { google: actionsOnGoogle(text, recs, style) } };
    case 'slack':
      return { messages: [{ platform: 'SLACK', payload: { slack: { text, blocks: slackBlocks(text, recs, style) } } }] };
    case 'facebook':
      return { messages: [{ platform: 'FACEBOOK', payload: { facebook: messenger(text, recs, style) } }] };
    case 'telephony':
      return { messages: [] };
    default: {
      const platform = ES_PLATFORM[source];
      const on = platform ? { platform } : {};
      if (style === 'carousel') {
        return {
          messages: recs.map((r) => ({
            ...on,
            card: { title: title(r), subtitle: subtitle(r), ...(r.item?.image ? { imageUri: r.item.image } : {}), buttons: [{ text: 'View', postback: postbackFor(r) }] },
          })),
        };
      }
      return { messages: [{ ...on, quickReplies: { title: text || 'Suggestions', quickReplies: recs.map((r) => title(r).slice(0, 20)) } }] };
    }
  }
}

function actionsOnGoogle(text: string, recs: readonly Recommendation[], style: RecommendationStyle): Json {
  const google: Json = {
    expectUserResponse: true,
    richResponse: {
      items: [{ simpleResponse: { textToSpeech: text || spokenList(recs) } }],
      // Suggestion chips are limited to 25 characters.
      suggestions: recs.slice(0, 8).map((r) => ({ title: title(r).slice(0, 25) })),
    },
  };
  if (style === 'carousel' && recs.length >= 2) {
    google.systemIntent = {
      intent: 'actions.intent.OPTION',
      data: {
        '@type': 'type.googleapis.com/google.actions.v2.OptionValueSpec',
        carouselSelect: {
          items: recs.slice(0, 10).map((r) => ({
            optionInfo: { key: r.itemId, synonyms: [title(r)] },
            title: title(r),
            description: subtitle(r),
            ...(r.item?.image ? { image: { url: r.item.image, accessibilityText: title(r) } } : {}),
          })),
        },
      },
    };
  }
  return google;
}

function slackBlocks(text: string, recs: readonly Recommendation[], style: RecommendationStyle): Json[] {
  const intro = { type: 'section', text: { type: 'mrkdwn', text: text || 'Picked for you:' } };
  if (style === 'carousel') {
    return [
      intro,
      ...recs.map((r) => ({
        type: 'section',
        block_id: `attune-${r.itemId}`,
        text: { type: 'mrkdwn', text: `*${title(r)}*\n${subtitle(r)}` },
        ...(r.item?.image ? { accessory: { type: 'image', image_url: r.item.image, alt_text: title(r) } } : {}),
      })),
    ];
  }
  const buttons = recs.slice(0, 25).map((r) => ({ type: 'button', action_id: `attune-${r.itemId}`, text: { type: 'plain_text', text: title(r).slice(0, 75) }, value: postbackFor(r) }));
  return [intro, { type: 'actions', block_id: 'attune-recommendations', elements: buttons }];
}

function messenger(text: string, recs: readonly Recommendation[], style: RecommendationStyle): Json {
  if (style === 'carousel') {
    return {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'generic',
          elements: recs.slice(0, 10).map((r) => ({
            title: title(r).slice(0, 80),
            subtitle: cardSubtitle(r, 80),
            ...(r.item?.image ? { image_url: r.item.image } : {}),
            buttons: [{ type: 'postback', title: 'View', payload: postbackFor(r) }],
          })),
        },
      },
    };
  }
  // Quick replies: at most 13, titles at most 20 characters.
  return { text: text || 'Picked for you:', quick_replies: recs.slice(0, 13).map((r) => ({ content_type: 'text', title: title(r).slice(0, 20), payload: postbackFor(r) })) };
}

/** CX: Dialogflow Messenger rich content (chips, or info cards) as a payload message. */
export function cxRich(source: string, recs: readonly Recommendation[], style: RecommendationStyle): Json[] {
  if (!recs.length || source === 'telephony') return [];
  const content =
    style === 'carousel'
      ? recs.map((r) => ({ type: 'info', title: title(r), subtitle: subtitle(r), ...(r.item?.image ? { image: { src: { rawUrl: r.item.image } } } : {}), ...(r.item?.url ? { actionLink: r.item.url } : {}) }))
      : [{ type: 'chips', options: recs.map((r) => ({ text: title(r) })) }];
  return [{ payload: { richContent: [content] } }];
}
