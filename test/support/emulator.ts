import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An activity as the bot POSTs it back to the channel's connector. */
export interface RecordedActivity {
  type: string;
  text?: string;
  replyToId?: string;
  conversation?: { id: string };
  suggestedActions?: { actions: { title: string; value: unknown }[] };
  attachments?: { contentType: string; content: { title?: string } }[];
  attachmentLayout?: string;
}

/**
 * A stand-in for the Bot Framework Emulator's connector: the bot's CloudAdapter POSTs its
 * replies to `serviceUrl`, and this server records them.
 */
export async function startConnector(): Promise<{ url: string; replies: RecordedActivity[]; close(): Promise<void> }> {
  const replies: RecordedActivity[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
        replies.push(JSON.parse(body) as RecordedActivity);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${++n}` }));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, replies, close: () => new Promise((r) => server.close(() => r())) };
}

let seq = 0;

/** A message activity shaped as the Bot Framework Emulator sends it. */
export function emulatorMessage(serviceUrl: string, userId: string, conversationId: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = new Date();
  return {
    type: 'message',
    id: `act-${Date.now()}-${++seq}`,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    localTimezone: 'Europe/London',
    serviceUrl,
    channelId: 'emulator',
    from: { id: userId, name: 'User', role: 'user' },
    conversation: { id: conversationId },
    recipient: { id: 'shop-bot', name: 'Bot', role: 'bot' },
    textFormat: 'plain',
    locale: 'en-US',
    text,
    entities: [{ type: 'ClientCapabilities', requiresBotState: true, supportsListening: true, supportsTts: true }],
    channelData: { clientActivityID: `client-${seq}`, clientTimestamp: now.toISOString() },
    ...extra,
  };
}
