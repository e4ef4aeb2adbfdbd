import { type Activity, CloudAdapter, type TurnContext } from 'botbuilder';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AuthThrottle } from '../http/auth-throttle';
import { BODY_LIMITS, jsonBody } from '../http/body';
import { type RefusalObserver, sendError, sendUnauthenticated } from '../http/errors';
import { readIncoming } from '../activity/incoming';
import { limitByClient } from '../http/rate-limit';
import type { Edge, EdgeRoute } from '../http/server';
import { BOTBUILDER_DOCS } from './docs';

/** Options of {@link AttuneCloudAdapter}. */
export interface AttuneCloudAdapterOptions {
  /** Where rejected requests, dropped fields and failures are logged. */
  logger: Logger;
}

/** Options of {@link AttuneCloudAdapter.messages}. */
export interface MessagesOptions {
  /**
   * The throttle of failed authentications, shared with the server's other edges: a token
   * Bot Framework refuses counts against the client, and a client over its failures gets a
   * 429 before its token is checked. (A token that could not be checked because the signing
   * keys were out of reach is our failure, not the client's, and is not counted.)
   */
  authThrottle?: AuthThrottle;
  /** Told of every activity refused as invalid (`attune.hooks`, where the metrics listen). */
  hooks?: RefusalObserver['hooks'];
}

/**
 * A CloudAdapter whose {@link AttuneCloudAdapter.messages} handler serves `/api/messages`
 * the way Attune's other endpoints answer: the activity is validated first
 * ({@link readActivity}: a 400 naming what is wrong), a request that fails Bot Framework
 * authentication gets a 401, and no response carries a library's message. `CloudAdapter.process`
 * instead answers a malformed activity with a 500, and puts the message of whatever failed
 * (an internal URL the token check could not reach, a serializer's complaint) in the body.
 *
 * ```ts
 * const adapter = new AttuneCloudAdapter(new ConfigurationBotFrameworkAuthentication(process.env), { logger: attune.logger });
 * adapter.use(new AttuneMiddleware(attune));
 * app.post('/api/messages', express.json({ limit: '1mb' }), adapter.messages((context) => bot.run(context)));
 * // or, on Attune's server: createServer(attune, { apiKeys, botFramework: adapter.route((context) => bot.run(context)) });
 * ```
 */
export class AttuneCloudAdapter extends CloudAdapter {
  /** How often each field was dropped from an incoming activity, by path (`locale`, `entities.0`…). */
  readonly dropped = new Map<string, number>();
  private readonly logger: Logger;

  constructor(auth: ConstructorParameters<typeof CloudAdapter>[0], options: AttuneCloudAdapterOptions) {
    super(auth);
    this.logger = options.logger;
  }

  /** The Express handler of `/api/messages`; mount it after `express.json()`. */
  messages(logic: (context: TurnContext) => Promise<void>, options: MessagesOptions = {}): RequestHandler {
    const throttle = options.authThrottle;
    return async (req, res) => {
      const activity = readIncoming<Activity>(req, res, { authThrottle: throttle, hooks: options.hooks, source: 'botbuilder', dropped: this.dropped, logger: this.logger });
      if (!activity) return;
      const header = req.headers.authorization ?? '';
      let auth;
      try {
        auth = await this.botFrameworkAuthentication.authenticateRequest(activity, header);
      } catch (err) {
        // A token we cannot verify is refused, whatever the reason: forged, expired, or the
        // signing keys out of reach. The reason goes to the log only.
        const forged = (err as { statusCode?: unknown }).statusCode === 401;
        this.logger[forged ? 'warn' : 'error']({ err }, 'attune/botbuilder: a request failed Bot Framework authentication');
        if (forged) throttle?.failed(req);
        return sendUnauthenticated(res, 'missing or invalid Bot Framework token', 'Bearer');
      }
      let invoke;
      try {
        invoke = await this.processActivity(auth, activity, logic);
      } catch (err) {
        this.logger.error({ err, type: activity.type }, 'attune/botbuilder: the activity could not be processed');
        return sendError(res, 500, 'internal', 'the bot could not process the activity');
      }
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.send(invoke.body);
      res.end();
    };
  }

  /**
   * `/api/messages` as a route of `createServer`: the server's budget per client address
   * (Bot Framework authenticates with its own JWTs, so there is no key to count by), the JSON
   * body up to 1 MB, and {@link AttuneCloudAdapter.messages} with the server's throttle of
   * failed authentications.
   */
  route(logic: (context: TurnContext) => Promise<void>): EdgeRoute {
    const route = (edge: Edge) => [limitByClient(edge.limiter()), jsonBody({ limit: BODY_LIMITS.default, logger: this.logger, where: 'attune/botbuilder' }), this.messages(logic, { authThrottle: edge.authThrottle, hooks: edge.attune.hooks })];
    return Object.assign(route, { docs: BOTBUILDER_DOCS });
  }
}
