import { createHttpBot } from './bot';

/**
 * A plain Express bot that personalizes through Attune's `POST /v1/turns`:
 *
 *   ATTUNE_API_KEYS=bot-turns-key-0123456789:turns npm run --silent attune -- serve --catalog examples/ecommerce/catalog.json
 *   ATTUNE_API_KEY=bot-turns-key-0123456789 npx tsx examples/http-bot/main.ts
 *   curl -s localhost:3000/chat -H 'content-type: application/json' -d '{"userId":"ann","text":"I need running shoes"}'
 *
 * ATTUNE_URL says where Attune is (default http://127.0.0.1:3978); the key needs the `turns`
 * role. The bot listens on PORT (default 3000) on loopback, or HOST.
 */
const apiKey = process.env.ATTUNE_API_KEY;
if (!apiKey) {
  process.stderr.write('http-bot: set ATTUNE_API_KEY to an Attune API key with the turns role (ATTUNE_API_KEYS=<key>:turns on the Attune server)\n');
  process.exit(1);
}
const host = process.env.HOST?.trim() || '127.0.0.1';
const app = createHttpBot({ attuneUrl: process.env.ATTUNE_URL ?? 'http://127.0.0.1:3978', apiKey });
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : process.env.PORT;
  process.stdout.write(`http-bot listening on http://${host}:${port}/chat\n`);
});
server.on('error', (err) => {
  process.stderr.write(`http-bot: ${err.message}\n`);
  process.exit(1);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
