import express, { type ErrorRequestHandler, type Router } from 'express';
import { ValidationError } from '../../src/core/errors';
import { parse } from '../../src/core/validate';
import type { Attune } from '../../src/engine/attune';
import type { AttuneContext } from '../../src/engine/context';
import { ActionRejection, ActionRun, type BuiltInOptions, builtInActions, type RasaAction } from './actions';
import { backlog, RasaLedger } from './ledger';
import { type RasaActionCall, RasaActionCallSchema, type RasaActionResult, type RasaBotEvent } from './schema';
import { botMessageEvent, type ButtonFor, defaultButton, followUpTurn, userTurn } from './translate';
import { clientErrorOf } from '../../src/server/errors';

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
}

/**
 * An Express router that speaks the Rasa action-server protocol, so Rasa's
 * `action_endpoint` can point at it: `POST /webhook` runs an action inside an Attune turn,
 * `GET /health` and `GET /actions` answer as rasa-sdk does. Every user and bot message of the
 * tracker is logged once, however often Rasa sends the same tracker.
 *
 * ```ts
 * // endpoints.yml: action_endpoint: { url: "http://localhost:3978/rasa/webhook" }
 * app.use('/rasa', rasaActionServer(attune, {
 *   actions: { action_greet: (ctx) => ctx.utter({ text: 'Hi again!', recommend: true }) },
 * }));
 * ```
 */
export function rasaActionServer(attune: Attune, options: RasaActionServerOptions = {}): Router {
  const actions = new Map(Object.entries({ ...builtInActions(options.builtIns), ...options.actions }));
  const ledger = new RasaLedger(attune, options.ledgerTtlSeconds ?? 30 * 24 * 3600);
  const button = options.button ?? defaultButton;
  const k = options.builtIns?.k ?? 3;
  const router = express.Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/actions', (_req, res) => {
    res.json([...actions.keys()].map((name) => ({ name })));
  });

  router.post('/webhook', express.json({ limit: '5mb' }), async (req, res) => {
    const body: unknown = req.body;
    const named = typeof body === 'object' && body !== null && 'next_action' in body ? body.next_action : undefined;
    if (typeof named === 'string' && named && !actions.has(named)) {
      res.status(404).json({ error: `No registered action found for name '${named}'.`, action_name: named });
      return;
    }
    const call = parse(RasaActionCallSchema, body, 'Rasa action call');
    const action = actions.get(call.next_action) as RasaAction;
    const userId = options.userId?.(call) ?? call.sender_id;
    const senderKey = attune.userKey(call.sender_id);
    const now = () => new Date(attune.clock());

    const loggedUntil = await ledger.loggedUntil(call.sender_id, userId).catch((err: unknown) => {
      attune.logger.warn({ err }, 'attune/rasa: could not read which events are logged; logging from the latest message');
      return undefined;
    });
    const todo = backlog(call.tracker.events, loggedUntil);
    const logBots = (ctx: AttuneContext, bots: RasaBotEvent[]) => {
      if (!ctx.degraded && ctx.allows('analytics')) bots.forEach((b) => ctx.log(botMessageEvent(ctx, b)));
    };
    // Older messages the bot answered without calling an action: logged as the turns they were.
    for (const { user, botsBefore } of todo.earlier) await attune.handle(userTurn(call, user, userId, senderKey, now()), (ctx) => logBots(ctx, botsBefore));

    const turn = todo.current ? userTurn(call, todo.current, userId, senderKey, now()) : followUpTurn(call, userId, senderKey, now());
    const result: RasaActionResult = { events: [], responses: [] };
    await attune.handle(turn, async (ctx) => {
      logBots(ctx, todo.bots);
      const run = new ActionRun(ctx, call, button, k);
      result.events = (await action(run)) ?? [];
      result.responses = run.responses;
    });
    if (todo.until !== undefined) {
      await ledger.markLogged(call.sender_id, userId, todo.until).catch((err: unknown) => attune.logger.warn({ err }, 'attune/rasa: could not remember the logged events'));
    }
    res.json(result);
  });

  router.use(rasaErrors(attune));
  return router;
}

/** Errors in rasa-sdk's shape, `{ error, action_name }`, which Rasa's `RemoteAction` reads. */
function rasaErrors(attune: Attune): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const body: unknown = req.body;
    const named = typeof body === 'object' && body !== null && 'next_action' in body ? body.next_action : undefined;
    const action_name = typeof named === 'string' ? named : null;
    if (err instanceof ValidationError) return res.status(400).json({ error: err.message, action_name, issues: err.issues });
    if (err instanceof ActionRejection) return res.status(400).json({ error: err.message, action_name });
    // body-parser's message quotes the parser and the input; ours is stable, its goes to the log.
    const known = clientErrorOf(err);
    if (known) {
      attune.logger.debug({ err, action_name }, 'attune/rasa: unreadable request body');
      return res.status(known.status).json({ error: `Invalid body request: ${known.message}`, action_name });
    }
    attune.logger.error({ err, action_name }, 'attune/rasa: action failed');
    return res.status(500).json({ error: 'action failed', action_name });
  };
}
