import { z } from 'zod';
import { MAX_ID_LENGTH } from '../../src/core/validate';

/**
 * Limits both Dialogflow editions' webhook requests are held to. Dialogflow's own requests are
 * far smaller (a query is at most 256 characters, a session id 36); the limits are there so
 * that no request, whoever sent it, can fail the turn's write or the redaction before it.
 */
export const DIALOGFLOW_BOUNDS = {
  /** Nesting of the whole request. */
  depth: 32,
  /** The request as JSON, in characters (the body parser stops at 1 MB anyway). */
  size: Number.POSITIVE_INFINITY,
  /** Longest text: a query, an agent response. */
  text: 32_768,
  /** Most parameters in one parameter map; the session keeps every one it sees. */
  parameters: 200,
} as const;

/** A parameter map (ES `parameters`, CX `sessionInfo.parameters`): bounded names and count. */
export const Parameters = z
  .record(z.string().max(256), z.unknown())
  .refine((p) => Object.keys(p).length <= DIALOGFLOW_BOUNDS.parameters, { message: `at most ${DIALOGFLOW_BOUNDS.parameters} parameters` });

/**
 * A refinement that the user a request resolves to (see `identity.ts`) fits a store's keys:
 * it may come from a user-id parameter, from anywhere in an integration's payload, or from
 * the session.
 */
export function userFits(userId: string | undefined, ctx: z.RefinementCtx, path: (string | number)[]): void {
  if (userId !== undefined && userId.length > MAX_ID_LENGTH) {
    ctx.addIssue({ code: 'custom', message: `the user id this request resolves to (a user-id parameter, the integration's payload or the session) may have at most ${MAX_ID_LENGTH} characters`, path });
  }
}
