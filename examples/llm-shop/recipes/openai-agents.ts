import { Agent, type AgentOptions, run } from '@openai/agents';
import type { Attune } from '../../../src/engine/attune';

/** The run context the agent is given: who it is talking to. */
export interface ShopperContext {
  userId: string;
  /** The user's message of this run, which sets the block's language and tone. */
  input: string;
}

/**
 * The OpenAI Agents SDK: instructions as a function of the run context, so every run gets
 * the user's Attune block after the agent's own instructions.
 *
 * ```ts
 * const agent = personalizedAgent(attune, { name: 'Shop', instructions: 'You are a shop assistant.', model: 'gpt-4o-mini' });
 * const answer = await askAgent(attune, agent, { userId: 'u1', input: 'I need a tent' });
 * ```
 */
export function personalizedAgent(attune: Attune, options: Omit<AgentOptions<ShopperContext>, 'instructions'> & { instructions: string }): Agent<ShopperContext> {
  return new Agent<ShopperContext>({
    ...options,
    instructions: async (runContext) => {
      const { userId, input } = runContext.context;
      const context = await attune.promptContext(userId, { text: input }).catch((err: unknown) => void attune.logger.warn({ err }, 'attune: no personalization for this run'));
      return context ? `${options.instructions}\n\n${context.text}` : options.instructions;
    },
  });
}

/** Runs the agent for a user and logs the exchange as a turn. */
export async function askAgent(attune: Attune, agent: Agent<ShopperContext>, context: ShopperContext): Promise<string> {
  const result = await run(agent, context.input, { context });
  const answer = String(result.finalOutput ?? '');
  // What the block offered is read again: the same read the instructions made, so the same items.
  const offered = (await attune.promptContext(context.userId, { text: context.input }).catch(() => undefined))?.data.recommendations;
  await attune.recordAnswer({ userId: context.userId, prompt: context.input, answer, offered, channel: 'openai-agents' }).catch((err: unknown) => attune.logger.warn({ err }, 'attune: the answer could not be logged'));
  return answer;
}
