import { ActivityHandler, TestAdapter } from 'botbuilder';
import { AttuneMiddleware, type AttuneMiddlewareOptions } from '../../adapters/botbuilder';
import type { Attune } from '../../src/engine/attune';

/**
 * A Bot Framework test conversation with one user, through Attune's middleware, with a bot
 * that answers every message with `reply` (default "ok").
 */
export function chatWith(attune: Attune, userId: string, options: AttuneMiddlewareOptions & { reply?: string } = {}): TestAdapter {
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(options.reply ?? 'ok');
    await next();
  });
  const adapter = new TestAdapter((ctx) => bot.run(ctx), { from: { id: userId, name: userId } });
  adapter.use(new AttuneMiddleware(attune, options));
  return adapter;
}
