import { activityRouteDocs } from '../activity/docs';
import type { PathDocs } from '../http/route-docs';

/** `POST /api/messages` of an Agents SDK agent, as the server's OpenAPI document shows it. */
export const AGENTS_DOCS: PathDocs = activityRouteDocs(
  'Microsoft 365 Agents SDK activities (Teams, Copilot, Web Chat, Azure Bot Service)',
  'An activity from a channel, authenticated with the channel’s signed token (anonymous only outside production and without a client id). Replies go to the channel’s serviceUrl; an invoke activity is answered in the body.',
);
