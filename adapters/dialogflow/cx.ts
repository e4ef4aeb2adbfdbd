import { filterFromParameters } from '../../src/core/filter';
import type { Turn } from '../../src/core/turn';
import type { CxWebhookRequest, CxWebhookResponse } from './cx-schema';
import { favouriteCategories, type Fulfilled, shownOrComputed, variantsById } from './fulfill';
import { cxSource, sessionIdOf } from './identity';
import { choicesOf, cxChoices, cxRich, replyParts } from './rich';

/** The agent's own texts queued for this turn (`messages[].text.text`). */
export function cxAgentText(req: CxWebhookRequest): string[] {
  return req.messages.flatMap((m) => m.text?.text ?? []);
}

/** What the user said, or what triggered the fulfillment instead. */
export function cxQueryText(req: CxWebhookRequest): string | undefined {
  return req.text ?? req.transcript ?? req.dtmfDigits;
}

/**
 * The parameters the turn knows: the session's, overlaid with the matched intent's resolved
 * values and the form parameters filled so far.
 */
export function cxParameters(req: CxWebhookRequest): Record<string, unknown> {
  const intent = Object.fromEntries(Object.entries(req.intentInfo?.parameters ?? {}).map(([k, v]) => [k, v.resolvedValue ?? v.originalValue]));
  const form = Object.fromEntries((req.pageInfo?.formInfo?.parameterInfo ?? []).filter((p) => p.state === 'FILLED').map((p) => [p.displayName, p.value]));
  return { ...req.sessionInfo.parameters, ...intent, ...form };
}

/** Session parameters Attune itself writes: not user input, so not logged as entities. */
const OWN = /^attune_/;

/** A CX WebhookRequest as a neutral Turn. */
export function cxTurn(req: CxWebhookRequest, userId: string, now: Date): Turn {
  const text = cxQueryText(req);
  const entities = Object.fromEntries(Object.entries(cxParameters(req)).filter(([k]) => !OWN.test(k)));
  const source = cxSource(req);
  // Parameters named max_price, min_price, category, tags narrow the turn's recommendations.
  const filter = filterFromParameters(entities);
  return {
    ...(filter ? { filter } : {}),
    id: req.detectIntentResponseId ?? `${req.sessionInfo.session}:${now.getTime()}`,
    userId,
    sessionId: sessionIdOf(req.sessionInfo.session),
    channel: `dialogflow-cx:${source}`,
    kind: text ? 'message' : 'event',
    text,
    intent: req.intentInfo?.displayName,
    entities: Object.keys(entities).length ? entities : undefined,
    value: { tag: req.fulfillmentInfo?.tag, page: req.pageInfo?.displayName, event: req.triggerEvent },
    signals: { locale: req.languageCode ?? req.languageInfo?.resolvedLanguageCode, device: source === 'telephony' ? 'phone' : undefined },
    timestamp: now.toISOString(),
  };
}

/**
 * The WebhookResponse: messages (tone applied; recommendations as Dialogflow Messenger rich
 * content, or spoken on the phone) and the personalization in session parameters, where
 * conditions, routes and later fulfillments can read it (`$session.params.attune_tone`).
 * Rewritten agent texts replace the agent's (`REPLACE`); a handler's own texts are added
 * after them (`APPEND`) unless it says otherwise.
 */
export function cxResponse(req: CxWebhookRequest, f: Fulfilled, k: number): CxWebhookResponse {
  const source = cxSource(req);
  const p = f.ctx.personalization;
  const { texts, recs, style } = replyParts(f.replies, source);
  // The agent's payload messages survive a REPLACE.
  const kept = f.agentTexts ? req.messages.filter((m) => !m.text) : [];
  const computed = shownOrComputed(f, k);
  return {
    fulfillmentResponse: {
      messages: [...texts.map((t) => ({ text: { text: [t] } })), ...kept, ...cxRich(source, recs, style), ...cxChoices(source, choicesOf(f.replies)?.choices ?? [])],
      mergeBehavior: f.answer?.mergeBehavior ?? (f.agentTexts ? 'REPLACE' : 'APPEND'),
    },
    sessionInfo: {
      parameters: {
        attune_segments: p.segments,
        attune_recommendations: computed.map((r) => r.itemId),
        attune_tone: p.tone,
        // An experiment's variant, for routes and conditions (`$session.params.attune_variant`).
        ...(p.variant !== undefined ? { attune_variant: p.variant, attune_experiments: variantsById(p), attune_message: p.overrides?.message ?? null } : {}),
        // What the NLU should expect next turn: CX has no session entities here, so the values go in parameters.
        attune_recommended_products: computed.map((r) => r.item?.title ?? r.itemId),
        attune_favourite_categories: favouriteCategories(p),
        ...f.answer?.parameters,
      },
    },
  };
}
