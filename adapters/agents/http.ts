import { createRequire } from 'node:module';
import type { Activity as SdkActivity } from '@microsoft/agents-activity';
import { type AuthConfiguration, CloudAdapter, type Request as AgentsRequest, type TurnContext } from '@microsoft/agents-hosting';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ValidationError, type Issue } from '../../src/core/errors';
import { readIncoming } from '../activity/incoming';
import type { AuthThrottle } from '../http/auth-throttle';
import { BODY_LIMITS, jsonBody } from '../http/body';
import { type RefusalObserver, sendError, sendUnauthenticated } from '../http/errors';
import { limitByClient } from '../http/rate-limit';
import type { Edge, EdgeRoute } from '../http/server';
import { AGENTS_DOCS } from './docs';

/** Options of {@link AttuneAgentsAdapter}. */
export interface AttuneAgentsAdapterOptions {
  /** Where rejected requests, dropped fields and failures are logged. */
  logger: Logger;
}

/** Options of {@link AttuneAgentsAdapter.messages}. */
export interface AgentsMessagesOptions {
  /** The throttle of failed authentications, shared with the server's other edges. */
  authThrottle?: AuthThrottle;
  /** Told of every activity refused as invalid (`attune.hooks`, where the metrics listen). */
  hooks?: RefusalObserver['hooks'];
}

/** The user a request's token stands for, or why it has none. */
type Authorized = { user: NonNullable<AgentsRequest['user']> } | { refused: true };

/**
 * The Agents SDK's CloudAdapter with an `/api/messages` handler that answers the way Attune's
 * other endpoints do: the activity is validated first (a 400 naming what is wrong, where
 * `CloudAdapter.process` would throw on a malformed body), a request the SDK's JWT check
 * refuses gets a 401 with Attune's own message (the SDK's `authorizeJWT` puts the token
 * library's description in the body), and no response carries a library's message.
 *
 * ```ts
 * const adapter = new AttuneAgentsAdapter(loadAuthConfigFromEnv(), { logger: attune.logger });
 * adapter.use(new AttuneMiddleware(attune));
 * app.post('/api/messages', express.json({ limit: '1mb' }), adapter.messages((context) => agent.run(context)));
 * // or, on Attune's server: createServer(attune, { apiKeys, botFramework: adapter.route((context) => agent.run(context)) });
 * ```
 */
export class AttuneAgentsAdapter extends CloudAdapter {
  /** How often each field was dropped from an incoming activity, by path (`locale`, `entities.0`…). */
  readonly dropped = new Map<string, number>();
  private readonly logger: Logger;

  constructor(authConfig: AuthConfiguration | undefined, options: AttuneAgentsAdapterOptions) {
    super(authConfig);
    this.logger = options.logger;
  }

  /** The Express handler of `/api/messages`; mount it after `express.json()`. */
  messages(logic: (context: TurnContext) => Promise<void>, options: AgentsMessagesOptions = {}): RequestHandler {
    const throttle = options.authThrottle;
    return async (req, res) => {
      const activity = readIncoming<Record<string, unknown>>(req, res, { authThrottle: throttle, hooks: options.hooks, source: 'agents', dropped: this.dropped, logger: this.logger });
      if (!activity) return;
      // The SDK parses the activity again with its own, stricter schema, and would throw from
      // inside process(): its refusal is the client's 400 too, said before anything runs.
      const refused = sdkSchemaIssues(activity);
      if (refused) {
        options.hooks?.emit('onInvalidInput', { source: 'agents', issues: refused.issues.length });
        return sendError(res, 400, refused.code, refused.message, refused.issues);
      }
      const request: AgentsRequest = { body: activity, headers: req.headers, method: req.method };
      const auth = await this.authorize(request);
      if ('refused' in auth) {
        throttle?.failed(req);
        return sendUnauthenticated(res, 'missing or invalid channel token', 'Bearer');
      }
      request.user = auth.user;
      try {
        await this.process(request, res, logic);
      } catch (err) {
        this.logger.error({ err, type: activity.type }, 'attune/agents: the activity could not be processed');
        if (!res.headersSent) sendError(res, 500, 'internal', 'the agent could not process the activity');
      }
    };
  }

  /**
   * `/api/messages` as a route of `createServer`: the server's budget per client address, the
   * JSON body up to 1 MB, and {@link AttuneAgentsAdapter.messages} with the server's throttle
   * of failed authentications.
   */
  route(logic: (context: TurnContext) => Promise<void>): EdgeRoute {
    const route = (edge: Edge) => [limitByClient(edge.limiter()), jsonBody({ limit: BODY_LIMITS.default, logger: this.logger, where: 'attune/agents' }), this.messages(logic, { authThrottle: edge.authThrottle, hooks: edge.attune.hooks })];
    return Object.assign(route, { docs: AGENTS_DOCS });
  }

  /**
   * The SDK's own JWT check (`authorizeRequest`), with its answer kept from the client: it
   * either calls on with `request.user` set, or writes a refusal, which is logged here.
   */
  private async authorize(request: AgentsRequest): Promise<Authorized> {
    let user: AgentsRequest['user'];
    let refusal: { status?: number; body?: unknown } | undefined;
    const capture = {
      status(code: number) {
        refusal = { ...refusal, status: code };
        return capture;
      },
      send(body: unknown) {
        refusal = { ...refusal, body };
        return capture;
      },
      setHeader: () => capture,
      end: () => capture,
    };
    await this.authorizeRequest(request, capture as unknown as Parameters<CloudAdapter['authorizeRequest']>[1], () => {
      user = request.user;
    });
    if (user && !refusal) return { user };
    this.logger.warn({ status: refusal?.status, reason: refusal?.body }, 'attune/agents: a request failed the Agents SDK authentication');
    return { refused: true };
  }
}

/*
 * The SDK's activity schema lives in its own package, a dependency of agents-hosting rather
 * than a peer of ours: it is loaded from where agents-hosting finds it, whatever the layout
 * of the app's node_modules.
 */
let sdkActivity: typeof SdkActivity | undefined;
const activitySchema = (): typeof SdkActivity =>
  (sdkActivity ??= (createRequire(require.resolve('@microsoft/agents-hosting'))('@microsoft/agents-activity') as { Activity: typeof SdkActivity }).Activity);

/** What the Agents SDK's own activity schema refuses in `activity`, as Attune's 400; none when it parses. */
function sdkSchemaIssues(activity: Record<string, unknown>): ValidationError | undefined {
  try {
    activitySchema().fromObject(activity);
    return undefined;
  } catch (err) {
    const zodIssues = (err as { issues?: unknown }).issues;
    if (!Array.isArray(zodIssues)) return new ValidationError('the activity was refused by the Agents SDK');
    const issues: Issue[] = zodIssues.slice(0, 20).map((i: { path?: unknown; message?: unknown }) => ({
      path: Array.isArray(i.path) ? i.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number') : [],
      message: typeof i.message === 'string' ? i.message.slice(0, 200) : 'invalid',
    }));
    return new ValidationError('invalid activity', issues);
  }
}
