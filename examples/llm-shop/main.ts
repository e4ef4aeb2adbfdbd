import { createInterface } from 'node:readline/promises';
import { createAttune } from '../../index';
import catalog from '../ecommerce/catalog.json';
import { createShopAssistant } from './assistant';
import { modelFromEnv } from './model';

/*
 * The LLM shop assistant in a terminal: `npx tsx examples/llm-shop/main.ts`. With
 * AI_GATEWAY_API_KEY set it talks to a real model; without, to an offline stand-in. Type
 * `/prompt` to see the personalization block the next call will carry.
 */
async function main(): Promise<void> {
  const attune = createAttune({ catalog });
  const { model, real } = modelFromEnv();
  const assistant = createShopAssistant(attune, model);
  const userId = process.env.USER_ID ?? 'terminal-user';
  process.stdout.write(`LLM shop assistant (${real ? 'real model' : 'offline stand-in model'}). Ask for anything; /prompt shows what the model is told; Ctrl-D quits.\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/prompt') process.stdout.write(`${(await attune.promptContext(userId)).text}\n`);
    else if (text) {
      for await (const delta of assistant.stream(userId, text)) process.stdout.write(delta);
      process.stdout.write('\n');
    }
  }
  await attune.close();
}

void main();
