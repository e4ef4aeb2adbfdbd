import express, { type Express } from 'express';

/*
 * A plain Express bot, no bot framework, that personalizes through Attune's HTTP API only:
 * it imports nothing of Attune. Each message it gets, it understands as well as it can (a few
 * keywords stand in for your NLU), drafts its own answer, and sends both to Attune's
 * `POST /v1/turns`; what comes back is the draft rewritten in the user's tone, with
 * recommendations for this user. If Attune does not answer in time, or answers an error, the
 * bot sends its draft as it was: the conversation never waits on personalization.
 */

/** The categories this bot's NLU knows, as the shop's catalog names them. */
const CATEGORIES = ['running', 'hiking', 'yoga', 'cycling', 'swimming', 'camping', 'tennis', 'fitness', 'climbing', 'winter'];

/** What the bot's NLU makes of a message: an intent, the entities it found, and the bot's own answer. */
export interface Understood {
  intent: 'greet' | 'browse' | 'recommend' | 'help';
  entities: { category?: string };
  draft: string;
  /** Whether the answer should carry recommendations. */
  recommend: boolean;
}

/** A few keywords in place of a real NLU. */
export function understand(text: string): Understood {
  const t = text.toLowerCase();
  const category = CATEGORIES.find((c) => t.includes(c) || t.includes(c.replace(/ing$/, '')));
  if (category) return { intent: 'browse', entities: { category }, draft: `Here are some ${category} picks for you:`, recommend: true };
  if (/\b(recommend|suggest|ideas?|anything for me)\b/.test(t)) return { intent: 'recommend', entities: {}, draft: 'You might like these:', recommend: true };
  if (/^\s*(hi|hello|hey)\b/.test(t)) return { intent: 'greet', entities: {}, draft: 'Hello! Ask me about running, yoga, camping, cycling and more.', recommend: true };
  return { intent: 'help', entities: {}, draft: 'Tell me what you are looking for, for example "trail running shoes" or "a yoga mat".', recommend: false };
}

/** The part of Attune's `/v1/turns` answer this bot reads. */
interface TurnAnswer {
  tone: string;
  degraded: boolean;
  reply?: { text?: string; recommendations?: { itemId: string; item?: { title?: string; price?: number } }[] };
}

/** What the bot answers its own clients. */
export interface BotAnswer {
  text: string;
  suggestions: { id: string; title: string }[];
  /** False when the answer went out without Attune (it was down, slow, or could not personalize). */
  personalized: boolean;
  tone?: string;
}

/** Options of {@link createHttpBot}. */
export interface HttpBotOptions {
  /** Where Attune's server is, e.g. `http://127.0.0.1:3978` (`attune serve`). */
  attuneUrl: string;
  /** An Attune API key with the `turns` role. */
  apiKey: string;
  /** How long a turn may wait for Attune before the bot answers without it (default 1500 ms). */
  timeoutMs?: number;
  /** Where failures to reach Attune are reported (default: stderr). */
  onAttuneError?: (err: unknown) => void;
}

/**
 * The bot as an Express app: `POST /chat` with `{ userId, text, sessionId? }` answers
 * `{ text, suggestions, personalized, tone }`.
 *
 * ```ts
 * createHttpBot({ attuneUrl: 'http://127.0.0.1:3978', apiKey: process.env.ATTUNE_API_KEY! }).listen(3000);
 * ```
 */
export function createHttpBot(options: HttpBotOptions): Express {
  const turnsUrl = new URL('/v1/turns', options.attuneUrl).toString();
  const timeoutMs = options.timeoutMs ?? 1500;
  const report = options.onAttuneError ?? ((err: unknown) => process.stderr.write(`http-bot: answered without Attune: ${err instanceof Error ? err.message : String(err)}\n`));

  async function personalize(userId: string, sessionId: string | undefined, text: string, u: Understood): Promise<TurnAnswer | undefined> {
    try {
      const res = await fetch(turnsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ userId, sessionId, channel: 'web', text, intent: u.intent, entities: u.entities, reply: { text: u.draft, recommend: u.recommend && { k: 3 } } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`Attune answered ${res.status}`);
      return (await res.json()) as TurnAnswer;
    } catch (err) {
      report(err);
      return undefined;
    }
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  app.post('/chat', async (req, res) => {
    const { userId, text, sessionId } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof userId !== 'string' || !userId || typeof text !== 'string' || (sessionId !== undefined && typeof sessionId !== 'string')) {
      res.status(400).json({ error: 'send { "userId": string, "text": string, "sessionId"?: string }' });
      return;
    }
    const u = understand(text);
    const turn = await personalize(userId, sessionId, text, u);
    const answer: BotAnswer = {
      text: turn?.reply?.text ?? u.draft,
      suggestions: (turn?.reply?.recommendations ?? []).map((r) => ({ id: r.itemId, title: r.item?.title ?? r.itemId })),
      personalized: turn !== undefined && !turn.degraded,
    };
    if (turn) answer.tone = turn.tone;
    res.json(answer);
  });
  // Malformed JSON and the like: a short answer of our own, not Express's page with a stack.
  app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'the bot failed' : 'unreadable request body' });
  });
  return app;
}
