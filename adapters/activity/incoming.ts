import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ValidationError } from '../../src/core/errors';
import type { AuthThrottle } from '../http/auth-throttle';
import { type RefusalObserver, sendError } from '../http/errors';
import { sendRateLimited } from '../http/rate-limit';
import { readActivity } from './read';

/** What {@link readIncoming} needs of its endpoint. */
export interface IncomingOptions {
  /** The throttle of failed authentications: a client over its failures gets a 429 before anything else. */
  authThrottle?: AuthThrottle;
  /** Told of every activity refused as invalid. */
  hooks?: RefusalObserver['hooks'];
  /** The edge's name, for the hooks and the log (`botbuilder`, `agents`). */
  source: string;
  /** Counts of the fields dropped from incoming activities, by path. */
  dropped: Map<string, number>;
  logger: Logger;
}

/**
 * The first steps of `/api/messages`, whichever SDK serves it: a throttled client gets a 429,
 * an activity the turn cannot do without a 400 naming what is wrong, and fields of the wrong
 * type or size are dropped, counted and logged. Returns the activity, or undefined when the
 * request has been answered.
 */
export function readIncoming<A>(req: Request, res: Response, o: IncomingOptions): A | undefined {
  const blocked = o.authThrottle?.retryAfter(req) ?? 0;
  if (blocked > 0) {
    sendRateLimited(res, blocked, 'too many failed authentication attempts from this address');
    return undefined;
  }
  let read;
  try {
    read = readActivity<A & { type?: unknown }>(req.body);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    o.hooks?.emit('onInvalidInput', { source: o.source, issues: err.issues.length });
    sendError(res, 400, err.code, err.message, err.issues);
    return undefined;
  }
  const { activity, dropped } = read;
  if (dropped.length) {
    for (const field of dropped) o.dropped.set(field, (o.dropped.get(field) ?? 0) + 1);
    o.logger.warn({ dropped, type: activity.type }, `attune/${o.source}: fields of the wrong type or size were dropped from an incoming activity`);
  }
  return activity;
}
