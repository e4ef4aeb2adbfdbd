import { loadAuthConfigFromEnv } from '@microsoft/agents-hosting';
import { createAttune } from '../../index';
import { describeGeneratedKeys, resolveApiKeys, resolveListen } from '../../adapters/http';
import catalog from '../ecommerce/catalog.json';
import { createAgentApp } from './app';

/*
 * The shop agent: `npx tsx examples/agents-sdk/main.ts`, then talk to it on
 * http://127.0.0.1:3979/api/messages (the Microsoft 365 Agents Playground or the Bot
 * Framework Emulator). With `clientId` (and its secret) in the environment the agent
 * authenticates channels; without, it runs anonymously, which the SDK allows outside
 * production only, and it listens on loopback only.
 */
const { keys, generated } = resolveApiKeys();
const auth = process.env.clientId ? loadAuthConfigFromEnv() : undefined;
const { host } = resolveListen({ host: process.env.HOST, authConfigured: { '/v1 (ATTUNE_API_KEYS)': !generated, '/api/messages (clientId)': Boolean(auth) } });
const attune = createAttune({ catalog });
const { app } = createAgentApp(attune, { auth, apiKeys: keys });
if (generated) process.stdout.write(`${describeGeneratedKeys(generated)}\n`);
const port = Number(process.env.PORT ?? 3979);
app.listen(port, host, () => process.stdout.write(`shop agent on http://${host}:${port}/api/messages\n`));
