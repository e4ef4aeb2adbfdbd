/** One side of a logged exchange, as kept in the session's short memory. */
export interface SessionTurn {
  direction: 'in' | 'out';
  text?: string;
  intent?: string;
  at: string;
}

/**
 * Short-term conversational context for one session: expires after a period of inactivity.
 */
export interface Session {
  id: string;
  userId: string;
  startedAt: string;
  lastActiveAt: string;
  /** The last few turns, both directions, oldest first (text redacted). */
  turns: SessionTurn[];
  /** Intents seen in this session, oldest first, most recent last. */
  intents: string[];
  /** Latest value of each entity recognized in this session. */
  entities: Record<string, unknown>;
  /** Slots the bot or a stage chose to remember. */
  slots: Record<string, unknown>;
}

/** A fresh session. */
export function emptySession(id: string, userId: string, at: string): Session {
  return { id, userId, startedAt: at, lastActiveAt: at, turns: [], intents: [], entities: {}, slots: {} };
}
