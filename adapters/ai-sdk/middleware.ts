import { randomUUID } from 'node:crypto';
import type { LanguageModelMiddleware } from 'ai';
import type { Turn } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import type { AttuneContext } from '../../src/engine/context';
import { recordAnswerInTurn } from '../../src/prompt/answer';
import type { PromptItem } from '../../src/prompt/context';
import type { PromptContext } from '../../src/prompt/render';
import { type PromptContextOptions, turnPromptContext } from '../../src/prompt/turn';
import { type AttuneCallOptions, splitCallOptions } from './options';
import { answerText, type CallOptions, lastUserText, withSystemBlock } from './prompt';

/** Options of {@link attuneMiddleware}. */
export interface AttuneModelOptions extends PromptContextOptions {
  /**
   * Who the calls are for, when no call says (`providerOptions.attune.userId` wins): a fixed
   * id for a model made per user, or a function of the call.
   */
  userId?: string | ((params: CallOptions) => string | undefined);
  /** Channel the turns are logged under (default `ai-sdk`). */
  channel?: string;
  /** Inject the block into the system prompt (default true); a call can turn it off. */
  inject?: boolean;
  /**
   * How long a turn waits for the model's answer before it is written without it (default
   * 5 minutes): a stream nobody reads to the end must not keep its turn open for ever.
   */
  answerTimeoutMs?: number;
}

/** A call in progress: the block it was given, and how its answer reaches its turn. */
interface Pending {
  context?: PromptContext;
  settle(answer: string | undefined): void;
}

/**
 * A language-model middleware for the Vercel AI SDK: each call for a user runs as an Attune
 * turn. The user's last message goes through the pipeline (logged, redacted, pseudonymized;
 * profile, segments, tone and recommendations as for any turn), the system prompt gets a
 * compact personalization block, and the model's answer, generated or streamed, is logged as
 * the turn's reply, with the recommended items it names as an impression. A failure inside
 * Attune never fails the call: it goes through unpersonalized.
 *
 * ```ts
 * import { generateText, wrapLanguageModel } from 'ai';
 * import { attuneMiddleware } from 'attune/ai-sdk';
 * const model = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware: attuneMiddleware(attune) });
 * await generateText({ model, system: 'You are a shop assistant.', prompt: text, providerOptions: { attune: { userId } } });
 * ```
 */
export function attuneMiddleware(attune: Attune, options: AttuneModelOptions = {}): LanguageModelMiddleware {
  const pending = new WeakMap<CallOptions, Pending>();
  const log = attune.logger;

  async function transformParams({ params: original }: { params: CallOptions }): Promise<CallOptions> {
    const { params, call, invalid } = splitCallOptions(original);
    if (invalid) log.warn({ issues: invalid.issues.length }, 'attune/ai-sdk: providerOptions.attune is malformed; the call runs without Attune');
    try {
      const userId = call.userId ?? (typeof options.userId === 'function' ? options.userId(params) : options.userId);
      if (!userId || invalid) return params;
      const text = lastUserText(params.prompt);
      const open = text === undefined ? await continued(userId, call) : await begin(userId, text, call);
      if (!open) return params;
      const inject = call.inject ?? options.inject ?? true;
      const out = inject && open.context ? { ...params, prompt: withSystemBlock(params.prompt, open.context.text) } : { ...params };
      pending.set(out, open);
      return out;
    } catch (err) {
      log.error({ err }, 'attune/ai-sdk: could not personalize the call; it runs without Attune');
      return params;
    }
  }

  /** Opens the turn of a user's message; resolves once the stages have run and the block is built. */
  function begin(userId: string, text: string, call: AttuneCallOptions): Promise<Pending | undefined> {
    const turn: Turn = {
      id: call.messageId ?? randomUUID(),
      userId,
      sessionId: call.sessionId ?? `user:${userId}`,
      channel: call.channel ?? options.channel ?? 'ai-sdk',
      kind: 'message',
      text,
      signals: call.locale ? { locale: call.locale } : {},
      timestamp: new Date(attune.clock()).toISOString(),
    };
    return new Promise((resolve) => {
      const handler = async (ctx: AttuneContext) => {
        let context: PromptContext | undefined;
        try {
          context = ctx.degraded ? undefined : turnPromptContext(ctx, attune, options);
        } catch (err) {
          log.error({ err }, 'attune/ai-sdk: could not build the personalization block; the call runs without it');
        }
        const answer = await new Promise<string | undefined>((settle) => {
          const timer = setTimeout(() => settle(undefined), options.answerTimeoutMs ?? 300_000);
          timer.unref();
          resolve({ context, settle: (a) => (clearTimeout(timer), settle(a)) });
        });
        if (answer === undefined) return;
        try {
          recordAnswerInTurn(ctx, answer, context?.data.recommendations ?? []);
        } catch (err) {
          log.error({ err }, 'attune/ai-sdk: could not record the answer');
        }
      };
      attune.handle(turn, handler, { adapter: 'ai-sdk' }).then(
        () => resolve(undefined),
        (err: unknown) => {
          log.error({ err }, 'attune/ai-sdk: the turn failed; the call runs without Attune');
          resolve(undefined);
        },
      );
    });
  }

  /**
   * A step after a tool call: the user's message is in a turn already, so this step reads the
   * block (nothing written) and logs only its answer.
   */
  async function continued(userId: string, call: AttuneCallOptions): Promise<Pending> {
    const context = await attune.promptContext(userId, { ...options, locale: call.locale });
    const offered: PromptItem[] = context.data.recommendations;
    return {
      context,
      settle: (answer) => {
        if (answer) attune.recordAnswer({ userId, sessionId: call.sessionId ?? `user:${userId}`, channel: call.channel ?? options.channel ?? 'ai-sdk', answer, offered }).catch((err: unknown) => log.error({ err }, 'attune/ai-sdk: could not record the answer'));
      },
    };
  }

  return {
    specificationVersion: 'v3',
    transformParams,
    async wrapGenerate({ doGenerate, params }) {
      const open = pending.get(params);
      let result;
      try {
        result = await doGenerate();
      } catch (err) {
        open?.settle(undefined);
        throw err;
      }
      open?.settle(answerText(result));
      return result;
    },
    async wrapStream({ doStream, params }) {
      const open = pending.get(params);
      if (!open) return doStream();
      let result;
      try {
        result = await doStream();
      } catch (err) {
        open.settle(undefined);
        throw err;
      }
      let text = '';
      type Part = typeof result.stream extends ReadableStream<infer P> ? P : never;
      const collect = new TransformStream<Part, Part>({
        transform(part, controller) {
          if (part.type === 'text-delta') text += part.delta;
          controller.enqueue(part);
        },
        flush() {
          open.settle(text);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(collect) };
    },
  };
}
