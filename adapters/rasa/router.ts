import express, { type Router } from 'express';
import { filterFromParameters } from '../../src/core/filter';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import type { AttuneContext } from '../../src/engine/context';
import type { AuthThrottle } from '../http/auth-throttle';
import { BODY_LIMITS, jsonBody } from '../http/body';
import { logAnswer, sendJson } from '../http/errors';
import type { RateLimiter } from '../http/rate-limit';
import type { Edge, EdgeRoute } from '../http/server';
import type { HttpNext, HttpRequest, HttpResponse } from '../http/types';
import { ActionRejection, ActionRun, type BuiltInOptions, builtInActions, type RasaAction } from './actions';
import { type RasaAuth, rasaGuards } from './auth';
import type { RasaBotEvent } from './events';
import { RASA_DOCS } from './docs';
import { type Backlog, backlog, RasaLedger } from './ledger';
import { newTally, RASA_LIMITS, type Tally, tallied } from './limits';
import { type RasaActionCall, RasaActionCallSchema, type RasaActionResult, rawEvents } from './schema';
import { botMessageEvent, type ButtonFor, defaultButton, followUpTurn, sessionIdOf, type TurnScope, userTurn } from './translate';

/** How the hooks name turns of this adapter. */
const RASA = { adapter: 'rasa' } as const;

/** Options of {@link rasaActionServer}. */
export interface RasaActionServerOptions {
  /** Your own actions by name; they may also replace a built-in one. */
  actions?: Record<string, RasaAction>;
  /** Options of `action_attune_recommend` and `action_attune_personalize`. */
  builtIns?: BuiltInOptions;
  /** Maps a call to the user id Attune keys data by (default: `sender_id`). */
  userId?: (call: RasaActionCall) => string | undefined;
  /** How a recommendation becomes a button (default: title → "Tell me about <title>"). */
  button?: ButtonFor;
  /** How long a sender's logged-events mark is kept after the last call (default 30 days). */
  ledgerTtlSeconds?: number;
  /**
   * `{ token }`: the `action_endpoint.token` of Rasa's endpoints.yml, which Rasa sends as
   * `?token=`; or `'open'` for none (loopback clients only, for local development). Without
   * it `/webhook` refuses every call (401).
   */
  auth?: RasaAuth;
  /** Budget per client address, for all routes (default: `ATTUNE_RATE_LIMIT_PER_MINUTE`, else 600 a minute). */
  limiter?: RateLimiter;
  /** Throttle of clients that keep failing to authenticate (default: 10 failures a minute). */
  authThrottle?: AuthThrottle;
}

/**
 * An Express router that speaks the Rasa action-server protocol, so Rasa's
 * `action_endpoint` can point at it: `POST /webhook` runs an action inside an Attune turn,
 * `GET /health` and `GET /actions` answer as rasa-sdk does. Every user and bot message of the
 * tracker is logged once, however often Rasa sends the same tracker. `/webhook` needs Rasa's
 * token (`?token=`; 401 without); every route is rate-limited per client (429).
 *
 * ```ts
 * // endpoints.yml: action_endpoint: { url: "http://localhost:3978/rasa/webhook", token: "<ATTUNE_RASA_TOKEN>" }
 * app.use('/rasa', rasaActionServer(attune, {
 *   auth: rasaAuthFromEnv(process.env),
 *   actions: { action_greet: (ctx) => ctx.utter({ text: 'Hi again!', recommend: true }) },
 * }));
 * ```
 */
export function rasaActionServer(attune: Attune, options: RasaActionServerOptions = {}): Router {
  const actions = new Map(Object.entries({ ...builtInActions(options.builtIns), ...options.actions }));
  const ledger = new RasaLedger(attune, options.ledgerTtlSeconds ?? 30 * 24 * 3600);
  const button = options.button ?? defaultButton;
  const k = options.builtIns?.k ?? 3;
  const guard = rasaGuards(attune, options);
  const router = express.Router();

  router.get('/health', guard.limit, (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/actions', guard.limit, (_req, res) => {
    res.json([...actions.keys()].map((name) => ({ name })));
  });

  // rasa-sdk's shape for a body it cannot read; no action name is known yet.
  const json = jsonBody({ limit: BODY_LIMITS.rasa, logger: attune.logger, where: 'attune/rasa', refuse: (res, e) => {
      if (e.status === 400) attune.hooks.emit('onInvalidInput', { source: 'rasa', issues: 0 });
      sendJson(res, e.status, { error: `Invalid body request: ${e.message}`, action_name: null });
    } });
  router.post('/webhook', guard.webhook, json, async (req, res) => {
    const body: unknown = req.body;
    const named = actionNameOf(body);
    if (named && !actions.has(named)) {
      res.status(404).json({ error: `No registered action found for name '${named}'.`, action_name: named });
      return;
    }
    const call = parse(RasaActionCallSchema, body, 'Rasa action call');
    const action = actions.get(call.next_action) as RasaAction;
    // A custom id the store could not take (empty, too long) would fail every write of the user.
    const custom = options.userId?.(call);
    const usable = custom === undefined || (custom.length > 0 && custom.length <= RASA_LIMITS.senderId);
    if (!usable) attune.logger.warn({ length: custom.length }, 'attune/rasa: options.userId gave an unusable id; keyed by sender_id instead');
    const userId = usable && custom !== undefined ? custom : call.sender_id;
    const nowSeconds = attune.clock() / 1000;
    const now = () => new Date(attune.clock());
    const tally = newTally();
    const scope: TurnScope = { userId, senderKey: attune.userKey(call.sender_id), sessionId: sessionIdOf(call), tally };

    const loggedUntil = await ledger.loggedUntil(call.sender_id, userId).catch((err: unknown) => {
      attune.logger.warn({ err }, 'attune/rasa: could not read which events are logged; logging from the latest message');
      return undefined;
    });
    const todo = backlog(rawEvents(body), loggedUntil, nowSeconds, tally);
    const logBots = (ctx: AttuneContext, bots: RasaBotEvent[]) => {
      if (!ctx.degraded && ctx.allows('analytics')) bots.forEach((b) => ctx.log(botMessageEvent(ctx, b, tally)));
    };
    // Older messages the bot answered without calling an action: logged as the turns they were.
    for (const { user, botsBefore } of todo.earlier) await attune.handle(userTurn(call, user, scope, now()), (ctx) => logBots(ctx, botsBefore), RASA);

    const turn = todo.current ? userTurn(call, todo.current, scope, now()) : followUpTurn(call, scope, now());
    // Slots named max_price, min_price, category, tags narrow this call's recommendations.
    const filter = filterFromParameters(call.tracker.slots);
    if (filter) turn.filter = filter;
    const result: RasaActionResult = { events: [], responses: [] };
    const done = await attune.handle(turn, async (ctx) => {
      logBots(ctx, todo.bots);
      const { skipped } = todo;
      if (tallied(tally) || skipped.messages + skipped.bots + skipped.unexamined > 0) {
        // Counted where an operator looks for totals, and logged once per call.
        ctx.effects.count('agg', leftOutCounters(tally, skipped));
        attune.logger.warn({ userId: ctx.turn.userId, examined: todo.examined, skipped, tally }, 'attune/rasa: part of the tracker was left out of the log or cut short');
      }
      const run = new ActionRun(ctx, attune, call, button, k);
      result.events = (await action(run)) ?? [];
      // Onboarding's question goes after the action's own messages, as buttons.
      if (!ctx.degraded) run.askOnboarding();
      result.responses = run.responses;
    }, RASA);
    // An erased user's mark would be data about them: their calls log nothing anyway.
    if (todo.until !== undefined && !done.erased) {
      await ledger.markLogged(call.sender_id, userId, todo.until).catch((err: unknown) => attune.logger.warn({ err }, 'attune/rasa: could not remember the logged events'));
    }
    res.json(result);
  });

  router.use(rasaErrors(attune));
  return router;
}

/**
 * The action server as a route of `createServer` (mounted under `/rasa`, so Rasa's
 * `action_endpoint` is `…/rasa/webhook`): its budget per client and its failed-auth throttle
 * are the server's, unless given here.
 *
 * ```ts
 * createServer(attune, { apiKeys, rasa: rasaRoute({ auth: rasaAuthFromEnv(process.env) }) });
 * ```
 */
export function rasaRoute(options: RasaActionServerOptions = {}): EdgeRoute {
  const route = (edge: Edge) => rasaActionServer(edge.attune, { ...options, limiter: options.limiter ?? edge.limiter(), authThrottle: options.authThrottle ?? edge.authThrottle });
  return Object.assign(route, { docs: RASA_DOCS });
}

/**
 * Errors in rasa-sdk's shape, `{ error, action_name }`, which Rasa's `RemoteAction` reads; the
 * status comes from the edge's one table ({@link logAnswer}), and what a library said goes to
 * the log only.
 */
function rasaErrors(attune: Attune): (err: unknown, req: HttpRequest, res: HttpResponse, next: HttpNext) => void {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const action_name = actionNameOf(req.body) ?? null;
    if (err instanceof ActionRejection) return sendJson(res, 400, { error: err.message, action_name });
    const a = logAnswer(attune.logger, err, 'attune/rasa', { action_name }, { hooks: attune.hooks, source: 'rasa' });
    if (a.log === 'none') return sendJson(res, a.status, { error: a.message, action_name, issues: a.issues });
    if (a.log === 'debug') return sendJson(res, a.status, { error: `Invalid body request: ${a.message}`, action_name });
    return sendJson(res, a.status, { error: 'action failed', action_name });
  };
}

/** The action a body names, when it names one Attune could run (never an over-long string, which is not echoed). */
function actionNameOf(body: unknown): string | undefined {
  const named = typeof body === 'object' && body !== null && 'next_action' in body ? body.next_action : undefined;
  return typeof named === 'string' && named && named.length <= RASA_LIMITS.actionName ? named : undefined;
}

/** Anonymous totals of what calls left out, beside the `agg` counter of turns. */
function leftOutCounters(tally: Tally, skipped: Backlog['skipped']): Record<string, number> {
  const all: Record<string, number> = {
    'rasa:events_not_events': tally.events,
    'rasa:fields_left_out': tally.fields,
    'rasa:values_cut': tally.truncated,
    'rasa:messages_skipped': skipped.messages,
    'rasa:bot_messages_skipped': skipped.bots,
    'rasa:events_unexamined': skipped.unexamined,
  };
  return Object.fromEntries(Object.entries(all).filter(([, n]) => n > 0));
}
