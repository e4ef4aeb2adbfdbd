import { activityRouteDocs } from '../activity/docs';
import type { PathDocs } from '../http/route-docs';

/** `POST /api/messages`, as the server's OpenAPI document shows it. */
export const BOTBUILDER_DOCS: PathDocs = activityRouteDocs(
  'Bot Framework activities (Azure Bot Service, Teams, Web Chat, the Emulator)',
  'An activity from a Bot Framework channel, authenticated with the channel’s signed token. The bot’s replies go back to the channel’s serviceUrl; an invoke activity is answered in the body.',
);
