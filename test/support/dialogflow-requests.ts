/**
 * Dialogflow webhook request bodies as Dialogflow sends them, written from the public protos
 * (`google.cloud.dialogflow.v2.WebhookRequest`, `google.cloud.dialogflow.cx.v3.WebhookRequest`)
 * in their JSON mapping, with the `originalDetectIntentRequest.payload` each ES integration
 * fills in (Actions on Google conversation webhook v2, Slack Events API, Messenger webhook,
 * the telephony gateway).
 */

export type Json = Record<string, unknown>;

export const ES_PROJECT = 'attune-shop';
export const esSession = (id: string) => `projects/${ES_PROJECT}/agent/sessions/${id}`;
export const cxSession = (id: string) => `projects/${ES_PROJECT}/locations/global/agents/0f3c1a9e-5d0b-4c8e-9a55-2f5b1d7c8e21/sessions/${id}`;

let seq = 0;
const uuid = () => `8d3e7f2a-1b4c-4d5e-9f60-${String(++seq).padStart(12, '0')}`;

export interface EsTurnInput {
  session: string;
  text?: string;
  intent: string;
  fulfillmentText?: string;
  parameters?: Json;
  /** The integration: an `originalDetectIntentRequest`, or none (the console, the API). */
  original?: Json;
  contexts?: Json[];
}

/** An ES WebhookRequest. */
export function esRequest(t: EsTurnInput): Json {
  const parameters = t.parameters ?? {};
  const fulfillmentText = t.fulfillmentText ?? 'Sure, let me see.';
  const body: Json = {
    responseId: `${uuid()}-a14fa99c`,
    session: t.session,
    queryResult: {
      ...(t.text === undefined ? {} : { queryText: t.text }),
      parameters,
      allRequiredParamsPresent: true,
      fulfillmentText,
      fulfillmentMessages: [{ text: { text: [fulfillmentText] } }],
      outputContexts: t.contexts ?? [{ name: `${t.session}/contexts/shopping`, lifespanCount: 4, parameters: { ...parameters, 'category.original': parameters.category ?? '' } }],
      intent: { name: `projects/${ES_PROJECT}/agent/intents/${uuid()}`, displayName: t.intent },
      intentDetectionConfidence: 0.87,
      diagnosticInfo: { webhook_latency_ms: 12 },
      languageCode: 'en',
      sentimentAnalysisResult: { queryTextSentiment: { score: 0.2, magnitude: 0.2 } },
    },
  };
  if (t.original) body.originalDetectIntentRequest = t.original;
  return body;
}

/** Actions on Google (conversation webhook v2) as the Dialogflow integration forwards it. */
export function googleAssistant(userId: string, text: string): Json {
  return {
    source: 'google',
    version: '2',
    payload: {
      isInSandbox: true,
      surface: { capabilities: [{ name: 'actions.capability.SCREEN_OUTPUT' }, { name: 'actions.capability.AUDIO_OUTPUT' }, { name: 'actions.capability.WEB_BROWSER' }] },
      requestType: 'SIMULATOR',
      inputs: [{ rawInputs: [{ query: text, inputType: 'KEYBOARD' }], arguments: [{ rawText: text, textValue: text, name: 'text' }], intent: 'actions.intent.TEXT' }],
      user: { userId, locale: 'en-US', lastSeen: '2024-06-09T18:21:09Z', userVerificationStatus: 'VERIFIED' },
      conversation: { conversationId: 'ABwppHHhM3_conversation', type: 'ACTIVE', conversationToken: '[]' },
      availableSurfaces: [{ capabilities: [{ name: 'actions.capability.SCREEN_OUTPUT' }] }],
    },
  };
}

/** Slack (Events API `event_callback`) as the Dialogflow Slack integration forwards it. */
export function slack(user: string, text: string): Json {
  return {
    source: 'slack',
    payload: {
      source: 'slack',
      data: {
        token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
        team_id: 'T061EG9R6',
        api_app_id: 'A0MDYCDME',
        event: { type: 'message', channel: 'D024BE91L', user, text, ts: '1718000000.000200', event_ts: '1718000000.000200', channel_type: 'im', team: 'T061EG9R6' },
        type: 'event_callback',
        event_id: 'Ev0MDYHUEL',
        event_time: 1718000000,
        authed_users: ['U0MDYCD17'],
      },
    },
  };
}

/** Facebook Messenger (messaging webhook) as the Dialogflow integration forwards it. */
export function facebook(psid: string, text: string): Json {
  return {
    source: 'facebook',
    payload: {
      source: 'facebook',
      data: { sender: { id: psid }, recipient: { id: '1022334455667788' }, timestamp: 1718000000000, message: { mid: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P', text } },
    },
  };
}

/** The Dialogflow telephony gateway (phone calls). */
export function telephony(callerId: string): Json {
  return { source: 'GOOGLE_TELEPHONY', payload: { telephony: { caller_id: callerId } } };
}

export interface CxTurnInput {
  session: string;
  text?: string;
  tag?: string;
  intent?: string;
  intentParameters?: Record<string, unknown>;
  page?: string;
  /** Form parameters: value set means FILLED, undefined means EMPTY. */
  form?: Record<string, unknown>;
  sessionParameters?: Json;
  agentText?: string[];
  payload?: Json;
}

/** A CX WebhookRequest. */
export function cxRequest(t: CxTurnInput): Json {
  const agent = t.session.slice(0, t.session.indexOf('/sessions/'));
  const body: Json = {
    detectIntentResponseId: uuid(),
    languageCode: 'en',
    fulfillmentInfo: t.tag === undefined ? {} : { tag: t.tag },
    pageInfo: {
      currentPage: `${agent}/flows/00000000-0000-0000-0000-000000000000/pages/${uuid()}`,
      displayName: t.page ?? 'Start Page',
      formInfo: {
        parameterInfo: Object.entries(t.form ?? {}).map(([displayName, value]) =>
          value === undefined ? { displayName, required: true, state: 'EMPTY' } : { displayName, required: true, state: 'FILLED', value, justCollected: true },
        ),
      },
    },
    sessionInfo: { session: t.session, parameters: t.sessionParameters ?? {} },
    messages: (t.agentText ?? []).map((text) => ({ text: { text: [text], redactedText: [text] }, responseType: 'ENTRY_PROMPT', source: 'VIRTUAL_AGENT' })),
    sentimentAnalysisResult: { score: 0.1, magnitude: 0.1 },
    languageInfo: { inputLanguageCode: 'en', resolvedLanguageCode: 'en', confidenceScore: 1 },
  };
  if (t.text !== undefined) body.text = t.text;
  if (t.intent) {
    body.intentInfo = {
      lastMatchedIntent: `${agent}/intents/${uuid()}`,
      displayName: t.intent,
      parameters: Object.fromEntries(Object.entries(t.intentParameters ?? {}).map(([k, v]) => [k, { originalValue: String(v), resolvedValue: v }])),
      confidence: 0.91,
    };
  }
  if (t.payload) body.payload = t.payload;
  return body;
}
