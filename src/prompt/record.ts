import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Turn } from '../core/turn';
import { MAX_ID_LENGTH, parse } from '../core/validate';
import type { PromptItem } from './context';

const id = z.string().min(1).max(MAX_ID_LENGTH);

const PromptItemSchema = z.object({
  itemId: id,
  title: z.string().min(1).max(1024),
  category: z.string().max(256).optional(),
  price: z.number().optional(),
  reason: z.string().max(256),
  explanation: z.string().max(1024).optional(),
});

/** A language model's completion, as `attune.recordAnswer` takes it. */
export const RecordAnswerSchema = z.strictObject({
  /** The user, in the bot's id space. */
  userId: id,
  /** The conversation (default: one per user). */
  sessionId: id.optional(),
  /** The bot's id for the user's message (default: random). */
  messageId: id.optional(),
  /** Channel or platform (default `llm`). */
  channel: z.string().max(64).optional(),
  locale: z.string().max(35).optional(),
  /** What the user said; without it only the answer is logged. */
  prompt: z.string().max(32_768).optional(),
  /** What the model answered. */
  answer: z.string().max(65_536),
  /** The items the model was offered (`promptContext(...).data.recommendations`); the ones the answer names are logged as shown. */
  offered: z.array(PromptItemSchema).max(50).optional(),
});

/** The input of `attune.recordAnswer` (see {@link RecordAnswerSchema}). */
export type RecordAnswerInput = z.input<typeof RecordAnswerSchema>;

/** Validates a completion (ValidationError naming what is wrong) and makes its neutral turn. */
export function parseAnswer(input: unknown, now: Date): { turn: Turn; answer: string; offered?: PromptItem[] } {
  const r = parse(RecordAnswerSchema, input, 'answer');
  const turn: Turn = {
    id: r.messageId ?? randomUUID(),
    userId: r.userId,
    sessionId: r.sessionId ?? `user:${r.userId}`,
    channel: r.channel ?? 'llm',
    // Without the user's words there is no message to count, only an answer to log.
    kind: r.prompt === undefined ? 'other' : 'message',
    signals: r.locale ? { locale: r.locale } : {},
    timestamp: now.toISOString(),
  };
  if (r.prompt !== undefined) turn.text = r.prompt;
  return r.offered ? { turn, answer: r.answer, offered: r.offered } : { turn, answer: r.answer };
}
