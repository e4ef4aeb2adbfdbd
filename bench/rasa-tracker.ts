/**
 * What a long Rasa tracker costs an action call (not part of `npm test`).
 *
 * Rasa sends the whole tracker with every action call. This times, through the action server
 * over HTTP on the memory store, a normal call (a 5-message conversation, one message new)
 * against calls carrying a 20,000-event tracker (4,000 messages):
 *
 * - `20k, mark current`: the usual case, everything up to the previous message logged;
 * - `20k, nothing remembered`: the sender's ledger expired (only the latest message counts);
 * - `20k, mark at the start`: Rasa answered every message itself since the first call, the
 *   worst case (earlier messages replayed up to the cap, the walk stopped at its bound).
 *
 * Each 20k figure is printed with its ratio to the normal call, beside the floor measured in
 * the same run: an endpoint on the same server that only reads the same body (`express.json`,
 * as the action server does) and answers `{}`. No action server can go under it, since Rasa
 * sends the body whole; what a 20k call costs beyond it is Attune's own work. Client and
 * server share the process, so the figures include sending the body too. Rounds are
 * interleaved so that drift, and the collection of the garbage each 20k body leaves, hit
 * every case alike (a forced collection before each call was tried: it slowed the normal
 * call several-fold, which distorted every ratio).
 *
 * ```sh
 * npm run bench:rasa
 * npm run bench:rasa -- --rounds 50
 * ```
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { createAttune } from '../index';
import { rasaActionServer } from '../adapters/rasa';
import { RASA_LIMITS } from '../adapters/rasa/limits';
import catalog from '../examples/ecommerce/catalog.json';
import { rateLimiter } from '../adapters/http/rate-limit';
import { MemoryStore } from '../src/store/memory';
import { RasaConversation } from '../test/support/rasa-tracker';
import { median } from './lib/stats';

const SENDER = 'SENDER_TOKEN';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 30);
const NORMAL_PER_ROUND = 5;

/** A conversation of `messages` messages Rasa answered itself, then one the action is called for. */
function conversation(messages: number): { body: string; markBeforeLast: number; markAtStart: number; events: number } {
  const conv = new RasaConversation(SENDER);
  const markAtStart = Number((conv.events[0] as { timestamp: number }).timestamp);
  for (let n = 1; n < messages; n++) conv.user(`message ${n}, do you have running shoes?`, 'ask_product', [{ entity: 'category', value: 'running' }]).utter('utter_ok', `reply ${n}`).listen();
  const markBeforeLast = Number((conv.events[conv.events.length - 1] as { timestamp: number }).timestamp);
  conv.user('anything for camping?', 'ask_product', [{ entity: 'category', value: 'camping' }]);
  return { body: JSON.stringify(conv.call('action_attune_recommend')), markBeforeLast, markAtStart, events: conv.events.length };
}

interface Case {
  label: string;
  body: string;
  /** The endpoint (default the action server's webhook). */
  path?: string;
  /** Where the sender's ledger stands before the call (undefined: nothing remembered). */
  mark?: number;
  ms: number[];
}

async function main(): Promise<void> {
  // Silent: the worst case warns on every call about what it left out.
  const attune = createAttune({ store: new MemoryStore(), catalog, logger: pino({ level: 'silent' }) });
  // Open mode (the bench calls over loopback) and a budget no run reaches: the guard is part
  // of every call, but a 429 would end the bench.
  const app = express().use('/rasa', rasaActionServer(attune, { auth: 'open', limiter: rateLimiter({ perMinute: 1_000_000 }) }));
  app.post('/floor', express.json({ limit: '5mb' }), (_req, res) => void res.json({ events: [], responses: [] }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const small = conversation(5);
  // Five events per message (user, featurization, utter action, bot, listen): 20,000 events.
  const long = conversation(4000);
  console.log(`normal call: ${small.events} events, ${(small.body.length / 1e3).toFixed(1)} kB; long call: ${long.events} events, ${(long.body.length / 1e6).toFixed(2)} MB`);
  console.log(`bounds: walk ${RASA_LIMITS.walkEvents} events, replay ${RASA_LIMITS.earlierMessages} earlier messages per call\n`);

  const normal: Case = { label: 'normal call', body: small.body, mark: small.markBeforeLast, ms: [] };
  const cases: Case[] = [
    { label: '20k, mark current', body: long.body, mark: long.markBeforeLast, ms: [] },
    { label: '20k, nothing remembered', body: long.body, ms: [] },
    { label: '20k, mark at the start', body: long.body, mark: long.markAtStart, ms: [] },
  ];
  let senders = 0;
  const post = (body: string, path = '/rasa/webhook') => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => {
    if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${await r.text()}`);
    await r.arrayBuffer();
  });
  const run = async (c: Case, timed: boolean) => {
    const sender = `bench-${++senders}`;
    const body = c.body.replaceAll(SENDER, sender);
    // A one-event call leaves the sender's ledger at `mark`, untimed.
    if (c.mark !== undefined) await post(JSON.stringify({ next_action: 'action_attune_personalize', sender_id: sender, tracker: { sender_id: sender, events: [{ event: 'action', name: 'action_listen', timestamp: c.mark }] } }));
    const started = process.hrtime.bigint();
    await post(body, c.path);
    if (timed) c.ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  };

  const floor: Case = { label: 'floor: read the 20k body', body: long.body, path: '/floor', ms: [] };
  for (let w = 0; w < 3; w++) for (const c of [normal, ...cases, floor]) await run(c, false);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < NORMAL_PER_ROUND; i++) await run(normal, true);
    for (const c of [...cases, floor]) await run(c, true);
    await attune.flush();
  }
  server.close();

  const one = median(normal.ms);
  const least = median(floor.ms);
  const row = (label: string, ms: number, ratio: string) => console.log(`${label.padEnd(28)} ${ms.toFixed(2).padStart(8)} ms  ${ratio}`);
  console.log(`median over ${ROUNDS} rounds (${normal.ms.length} normal calls, ${ROUNDS} of each 20k case):`);
  row(normal.label, one, '1.0× (baseline)');
  for (const c of cases) {
    const ms = median(c.ms);
    row(c.label, ms, `${(ms / one).toFixed(1)}× the normal call; beyond the floor ${(ms - least).toFixed(2)} ms = ${((ms - least) / one).toFixed(1)}× the normal call`);
  }
  row(floor.label, least, `${(least / one).toFixed(1)}× the normal call`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
