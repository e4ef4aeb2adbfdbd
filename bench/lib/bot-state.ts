/**
 * What a Bot Framework bot keeps without Attune: botbuilder's `UserState` and
 * `ConversationState`, read at the start of every turn and saved with `saveChanges()` at its
 * end, on `MemoryStorage` or on the Redis `Storage` a user would write (GET and SET of JSON).
 * The turn benchmark measures Attune against these, the state every real bot already pays for.
 */
import { ConversationState, type Middleware, type Storage, type StoreItems, type TurnContext, UserState } from 'botbuilder';
import type Redis from 'ioredis';

/** What the bot remembers of a user: how often they came, when, and what they said last. */
interface UserMemory {
  turns: number;
  lastSeen: string;
  lastText: string;
}

/** What it remembers of a conversation: its length and the last few messages. */
interface ConversationMemory {
  turns: number;
  recent: string[];
}

/** The messages a conversation's state keeps, as a bot keeping a short history would. */
const RECENT = 5;

/**
 * Middleware that reads both states before the bot and saves them after it, as the botbuilder
 * samples do (`await next(); await this.userState.saveChanges(context)`).
 */
export function stateMiddleware(storage: Storage): Middleware {
  const users = new UserState(storage);
  const conversations = new ConversationState(storage);
  const user = users.createProperty<UserMemory>('user');
  const conversation = conversations.createProperty<ConversationMemory>('conversation');
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const u = await user.get(context, { turns: 0, lastSeen: '', lastText: '' });
      const c = await conversation.get(context, { turns: 0, recent: [] });
      const text = context.activity.text ?? '';
      u.turns += 1;
      u.lastSeen = new Date().toISOString();
      u.lastText = text;
      c.turns += 1;
      c.recent = [...c.recent.slice(1 - RECENT), text];
      await next();
      await users.saveChanges(context);
      await conversations.saveChanges(context);
    },
  };
}

/**
 * The smallest Redis `Storage`: every item one key holding its JSON, read with GET, written
 * with SET (no eTag checks, as most hand-written storages do without), keys under `prefix`.
 */
export class RedisJsonStorage implements Storage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    const values = await Promise.all(keys.map((k) => this.redis.get(this.prefix + k)));
    keys.forEach((k, i) => {
      const v = values[i];
      if (v !== null) items[k] = JSON.parse(v) as unknown;
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.entries(changes).map(([k, v]) => this.redis.set(this.prefix + k, JSON.stringify(v))));
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((k) => this.prefix + k));
  }
}
