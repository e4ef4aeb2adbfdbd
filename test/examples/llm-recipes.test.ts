import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { type Model, type ModelRequest, type ModelResponse, Usage } from '@openai/agents';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import { personalizedChat } from '../../examples/llm-shop/recipes/langchain';
import { askAgent, personalizedAgent } from '../../examples/llm-shop/recipes/openai-agents';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';

/*
 * The recipes for LangChain.js and the OpenAI Agents SDK, run against stand-in models: the
 * model is told the user's interest and the items to recommend, and the exchange is logged
 * as a turn, with the item the answer names as shown.
 */

let attune: Attune;
let store: MemoryStore;
beforeEach(async () => {
  store = new MemoryStore();
  attune = createAttune({ catalog, store });
  // Planted interest: two camping products viewed.
  for (const item of catalog.filter((i) => i.category === 'camping').slice(0, 2)) await attune.track({ userId: 'r-u1', event: 'Product Viewed', properties: { product_id: item.id, category: 'camping' } });
});
afterEach(() => attune.close());

/** The first item the block lists, which the stand-in models recommend. */
const firstTitle = (system: string) => /1\. (.+?) \[/.exec(system)?.[1] ?? 'nothing';

async function loggedAnswer(userId: string) {
  await attune.flush();
  const events = (await store.readEvents({ userId: attune.userKey(userId) })).events;
  return { sent: events.find((e) => e.event === 'Message Sent'), shown: events.find((e) => e.event === 'Recommendation Shown'), received: events.find((e) => e.event === 'Message Received') };
}

it('LangChain.js: the runnable tells the model about the user and logs the exchange', async () => {
  let system = '';
  const model = RunnableLambda.from(async (messages: BaseMessage[]) => {
    system = String(messages[0].content);
    return new AIMessage(`The ${firstTitle(system)} is a good pick.`);
  });
  const answer = await personalizedChat(attune, model, 'You are a shop assistant.').invoke({ userId: 'r-u1', input: 'what should I take on my trip?' });
  expect(system.startsWith('You are a shop assistant.\n\n')).toBe(true);
  expect(system).toContain('interested in camping');
  expect(answer).toBe(`The ${firstTitle(system)} is a good pick.`);
  const { sent, shown, received } = await loggedAnswer('r-u1');
  expect(received?.properties.text).toBe('what should I take on my trip?');
  expect(sent?.properties.text).toBe(answer);
  expect((shown?.properties.items as string[]).length).toBe(1);
});

it('OpenAI Agents SDK: instructions as a function carry the block, and the run is logged', async () => {
  const requests: ModelRequest[] = [];
  const model: Model = {
    async getResponse(request): Promise<ModelResponse> {
      requests.push(request);
      const text = `Try the ${firstTitle(request.systemInstructions ?? '')}.`;
      return { usage: new Usage(), output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] }], responseId: 'r1' };
    },
    getStreamedResponse() {
      throw new Error('not used');
    },
  };
  const agent = personalizedAgent(attune, { name: 'Shop', instructions: 'You are a shop assistant.', model });
  const answer = await askAgent(attune, agent, { userId: 'r-u1', input: 'what should I take on my trip?' });
  const system = requests[0].systemInstructions ?? '';
  expect(system).toContain('interested in camping');
  expect(answer).toBe(`Try the ${firstTitle(system)}.`);
  const { sent, shown } = await loggedAnswer('r-u1');
  expect(sent?.properties.text).toBe(answer);
  expect((shown?.properties.items as string[]).length).toBe(1);
});
