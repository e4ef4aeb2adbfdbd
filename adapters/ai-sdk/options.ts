import { z } from 'zod';
import { MAX_ID_LENGTH } from '../../src/core/validate';
import type { CallOptions } from './prompt';

/** The key of Attune's per-call options in `providerOptions`. */
export const PROVIDER_KEY = 'attune';

const id = z.string().min(1).max(MAX_ID_LENGTH);

/**
 * What a call may say to Attune in `providerOptions.attune`: who the user is, the
 * conversation, and whether to inject the block on this call.
 *
 * ```ts
 * await generateText({ model, prompt, providerOptions: { attune: { userId: 'u1', sessionId: 'chat-7' } } });
 * ```
 */
export const AttuneCallOptionsSchema = z.strictObject({
  userId: id.optional(),
  sessionId: id.optional(),
  /** The bot's id for the user's message (default: random). */
  messageId: id.optional(),
  channel: z.string().max(64).optional(),
  locale: z.string().max(35).optional(),
  /** `false`: log the turn, but leave the prompt as it is. */
  inject: z.boolean().optional(),
});

/** Per-call options (see {@link AttuneCallOptionsSchema}). */
export type AttuneCallOptions = z.infer<typeof AttuneCallOptionsSchema>;

/**
 * Splits Attune's options off the call: they are for Attune, and the user's id must not
 * travel on to the model's provider. Malformed options are reported and ignored.
 */
export function splitCallOptions(params: CallOptions): { params: CallOptions; call: AttuneCallOptions; invalid?: z.ZodError } {
  const raw = params.providerOptions?.[PROVIDER_KEY];
  if (raw === undefined) return { params, call: {} };
  const { [PROVIDER_KEY]: _ours, ...others } = params.providerOptions ?? {};
  const stripped: CallOptions = { ...params, providerOptions: Object.keys(others).length ? others : undefined };
  const parsed = AttuneCallOptionsSchema.safeParse(raw);
  return parsed.success ? { params: stripped, call: parsed.data } : { params: stripped, call: {}, invalid: parsed.error };
}
