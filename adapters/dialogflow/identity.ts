/**
 * Who is talking, from what each Dialogflow integration puts in the request. Dialogflow itself
 * knows only sessions; the integrations pass the platform's user in the original request's
 * payload, and CX agents often keep one in a session parameter.
 */

type Json = Record<string, unknown>;

/**
 * The fields of an ES request that say who is talking. Structural, so that the schemas can use
 * these readers while validating without an import circle.
 */
export interface EsIdentityFields {
  session: string;
  originalDetectIntentRequest?: { source?: string; payload: Json };
}

/** The fields of a CX request that say who is talking (structural, as {@link EsIdentityFields}). */
export interface CxIdentityFields {
  sessionInfo: { session: string; parameters: Json };
  payload: Json;
}

const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const id = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The platform user in an integration payload: Actions on Google, Facebook, Slack, telephony, custom. */
export function userFromPayload(payload: Json | undefined): string | undefined {
  if (!payload) return undefined;
  const data = obj(payload.data);
  return (
    // Actions on Google: payload.user.userId (or a custom integration's payload.userId).
    id(obj(payload.user)?.userId) ??
    id(payload.userId) ??
    // Facebook Messenger: payload.data.sender.id.
    id(obj(data?.sender)?.id) ??
    id(obj(payload.sender)?.id) ??
    // Slack: payload.data.event.user, or payload.data.user / payload.user on interactive messages.
    id(obj(data?.event)?.user) ??
    id(obj(data?.user)?.id) ??
    id(data?.user) ??
    id(payload.user) ??
    // Telephony gateway: the caller's number.
    id(obj(payload.telephony)?.caller_id)
  );
}

/** The last segment of a session path: the session id. */
export function sessionIdOf(sessionPath: string): string {
  return sessionPath.slice(sessionPath.lastIndexOf('/') + 1);
}

/** ES: the platform user from the payload, else the session path (unique per conversation). */
export function esUserId(req: EsIdentityFields): string {
  return userFromPayload(req.originalDetectIntentRequest?.payload) ?? req.session;
}

/** The ES integration a request came through, e.g. `google`, `slack`, `facebook`, `telephony`. */
export function esSource(req: EsIdentityFields): string {
  const o = req.originalDetectIntentRequest;
  const source = (o?.source ?? '').toLowerCase();
  if (source.includes('telephony') || obj(o?.payload.telephony)) return 'telephony';
  if (source === 'google' || source === 'actions_on_google') return 'google';
  return source || 'agent';
}

/** Session parameters CX agents commonly keep the user id in. */
const CX_USER_PARAMETERS = ['user_id', 'userId', 'attune_user_id'];

/** CX: a user-id session parameter, else the platform user in the payload, else the session id. */
export function cxUserId(req: CxIdentityFields): string {
  const params = req.sessionInfo.parameters;
  for (const name of CX_USER_PARAMETERS) {
    const v = id(params[name]);
    if (v) return v;
  }
  return userFromPayload(req.payload) ?? sessionIdOf(req.sessionInfo.session);
}

/** The CX channel: telephony when the payload says so, else the web/API default. */
export function cxSource(req: CxIdentityFields): string {
  return obj(req.payload.telephony) ? 'telephony' : 'agent';
}
