import { type AuthConfiguration } from '@microsoft/agents-hosting';
import type { Express } from 'express';
import { AttuneAgentsAdapter, AttuneMiddleware } from '../../adapters/agents';
import { type ApiKeys, createServer } from '../../adapters/http';
import type { Attune } from '../../src/engine/attune';
import { ShopAgent } from './agent';

/** Options of {@link createAgentApp}. */
export interface AgentAppOptions {
  /** The agent's Entra app registration (`loadAuthConfigFromEnv()`); none runs anonymously, outside production only. */
  auth?: AuthConfiguration;
  /** API keys of the REST API, or `false` (tests only). */
  apiKeys: ApiKeys | false;
}

/**
 * The shop agent on Attune's server: `/api/messages` through the Agents SDK's CloudAdapter
 * with Attune's middleware, and the REST API on `/v1`.
 */
export function createAgentApp(attune: Attune, options: AgentAppOptions): { app: Express; adapter: AttuneAgentsAdapter } {
  const adapter = new AttuneAgentsAdapter(options.auth, { logger: attune.logger });
  adapter.use(new AttuneMiddleware(attune));
  adapter.onTurnError = async (context, error) => {
    attune.logger.error({ err: error }, 'shop agent: unhandled error in the turn');
    await context.sendActivity('Sorry, something went wrong on my side.').catch((err: unknown) => attune.logger.error({ err }, 'shop agent: could not send the apology'));
  };
  const agent = new ShopAgent(attune);
  const app = createServer(attune, { apiKeys: options.apiKeys, botFramework: adapter.route((context) => agent.run(context)) });
  return { app, adapter };
}
