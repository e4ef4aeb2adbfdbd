import { filterFromParameters } from '../../src/core/filter';
import type { Turn } from '../../src/core/turn';
import type { EsContext, EsWebhookRequest, EsWebhookResponse } from './es-schema';
import { type Fulfilled, shownOrComputed, variantsById } from './fulfill';
import { esSource } from './identity';
import { choicesOf, esChoices, esRich, replyParts } from './rich';

/** The agent's own response texts: `fulfillmentText`, else the generic text messages. */
export function esAgentText(req: EsWebhookRequest): string[] {
  const q = req.queryResult;
  if (q.fulfillmentText) return [q.fulfillmentText];
  return q.fulfillmentMessages.filter((m) => m.text && (!m.platform || m.platform === 'PLATFORM_UNSPECIFIED')).flatMap((m) => m.text?.text ?? []);
}

/** An ES WebhookRequest as a neutral Turn. */
export function esTurn(req: EsWebhookRequest, userId: string, now: Date): Turn {
  const q = req.queryResult;
  const payload = req.originalDetectIntentRequest?.payload ?? {};
  const aog = payload.user as { locale?: unknown } | undefined;
  const source = esSource(req);
  // Parameters named max_price, min_price, category, tags narrow the turn's recommendations.
  const filter = filterFromParameters(q.parameters);
  return {
    ...(filter ? { filter } : {}),
    id: req.responseId ?? `${req.session}:${now.getTime()}`,
    userId,
    sessionId: req.session,
    channel: `dialogflow:${source}`,
    // An event-triggered query (WELCOME, a custom event) carries no query text.
    kind: q.queryText ? 'message' : 'event',
    text: q.queryText,
    intent: q.intent?.displayName,
    entities: Object.keys(q.parameters).length ? q.parameters : undefined,
    signals: { locale: q.languageCode ?? (typeof aog?.locale === 'string' ? aog.locale : undefined), device: source === 'telephony' ? 'phone' : undefined },
    timestamp: now.toISOString(),
  };
}

/** Options of the ES response. */
export interface EsResponseOptions {
  /** Lifespan of the `attune` output context in turns (default 50). */
  contextLifespan: number;
  k: number;
}

/**
 * The WebhookResponse: the replies' texts (tone applied), recommendations in the source
 * platform's rich format, the agent's other rich messages kept, and the request's contexts
 * echoed (so their lifespans carry on) with the `attune` context set.
 */
export function esResponse(req: EsWebhookRequest, f: Fulfilled, options: EsResponseOptions): EsWebhookResponse {
  const source = esSource(req);
  const p = f.ctx.personalization;
  const { texts, recs, style } = replyParts(f.replies, source);
  const text = texts.join(' ');
  const rich = esRich(source, texts[0] ?? '', recs, style);
  const asked = choicesOf(f.replies);
  // The agent's own rich messages (cards, images, platform payloads) still go out.
  const kept = f.agentTexts ? req.queryResult.fulfillmentMessages.filter((m) => !m.text) : [];
  const name = `${req.session}/contexts/attune`;
  const attune: EsContext = {
    name,
    lifespanCount: options.contextLifespan,
    parameters: {
      segments: p.segments,
      recommendations: shownOrComputed(f, options.k).map((r) => r.itemId),
      tone: p.tone,
      // An experiment's variant, for the agent's conditions and the bot's texts.
      ...(p.variant !== undefined ? { variant: p.variant, experiments: variantsById(p), message: p.overrides?.message ?? null } : {}),
      ...f.answer?.parameters,
    },
  };
  const response: EsWebhookResponse = {
    fulfillmentText: text,
    fulfillmentMessages: [...texts.map((t) => ({ text: { text: [t] } })), ...kept, ...rich.messages, ...(asked ? esChoices(source, asked.text, asked.choices) : [])],
    source: 'attune',
    outputContexts: [...req.queryResult.outputContexts.filter((c) => c.name !== name), attune],
  };
  if (rich.payload) response.payload = { ...req.queryResult.webhookPayload, ...rich.payload };
  return response;
}
