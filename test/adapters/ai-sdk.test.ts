import { generateText, streamText, wrapLanguageModel } from 'ai';
import { attuneMiddleware } from '../../adapters/ai-sdk';
import { createAttune } from '../../index';
import type { AttuneEvent } from '../../src/core/event';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';
import { mockModel, type ReceivedPrompt, systemText } from '../support/mock-llm';

/*
 * The AI SDK middleware through generateText and streamText with ai/test's mock model: the
 * system prompt the model received carries the user's segments, tone and recommendations,
 * each call is logged as a turn (both directions, PII redacted, the user pseudonymized), the
 * items the answer names are logged as shown, and an Attune failure leaves the call working.
 */

/** Names the first recommended item the block offered, so that the answer mentions one. */
function answerNamingFirstItem(prompt: ReceivedPrompt): string {
  const first = /1\. (.+?) \[/.exec(systemText(prompt))?.[1];
  return first ? `You could try the ${first}. Write to me at help@shop.example if it does not fit.` : 'How can I help?';
}

function setup(store = new MemoryStore()) {
  const attune = createAttune({ catalog: smallCatalog(), store });
  const model = mockModel(answerNamingFirstItem);
  const wrapped = wrapLanguageModel({ model, middleware: attuneMiddleware(attune) });
  return { attune, store, model, wrapped };
}

async function eventsOf(attune: Attune, store: MemoryStore, userId: string): Promise<AttuneEvent[]> {
  await attune.flush();
  return (await store.readEvents({ userId: attune.userKey(userId) })).events;
}

const user = (userId: string, extra: Record<string, string | boolean> = {}) => ({ attune: { userId, ...extra } });

describe('attuneMiddleware with generateText', () => {
  it('tells the model the user\'s segment, tone and the items of the category they asked about', async () => {
    const { attune, model, wrapped } = setup();
    const result = await generateText({ model: wrapped, system: 'You are a shop assistant.', prompt: 'I am looking for a yoga mat for my yoga class', providerOptions: user('ai-u1') });
    const prompt = model.doGenerateCalls[0].prompt;
    const system = systemText(prompt);
    // The caller's instructions first, as written; the block after them.
    expect(prompt[0]).toEqual({ role: 'system', content: 'You are a shop assistant.' });
    expect(system).toContain('Segments: New visitors');
    expect(system).toContain('in a warm, friendly tone');
    expect(system).toContain('interested in yoga');
    const listed = [...system.matchAll(/\d\. .+? \[([^\]]+)\]/g)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((id) => id.startsWith('yoga-'))).toBe(true);
    expect(result.text).toMatch(/^You could try the yoga item/);
    await attune.close();
  });

  it('does not pass the user id on to the model\'s provider', async () => {
    const { attune, model, wrapped } = setup();
    await generateText({ model: wrapped, prompt: 'hello there', providerOptions: { ...user('ai-u2'), openai: { user: 'x' } } });
    expect(model.doGenerateCalls[0].providerOptions).toEqual({ openai: { user: 'x' } });
    await attune.close();
  });

  it('logs the message and the answer as a turn, redacted and pseudonymized, and the named item as shown', async () => {
    const { attune, store, wrapped } = setup();
    await generateText({ model: wrapped, prompt: 'yoga mats please, mail me at jane.doe@example.com', providerOptions: user('ai-u3', { sessionId: 'chat-1' }) });
    const events = await eventsOf(attune, store, 'ai-u3');
    const received = events.find((e) => e.event === 'Message Received');
    const sent = events.find((e) => e.event === 'Message Sent');
    const shown = events.find((e) => e.event === 'Recommendation Shown');
    expect(received?.properties.text).toBe('yoga mats please, mail me at <EMAIL>');
    expect(sent?.properties.text).toMatch(/^You could try the yoga item \d\. Write to me at <EMAIL>/);
    expect(sent?.properties.replyTo).toBe(received?.messageId);
    expect(shown?.properties).toMatchObject({ source: 'llm', items: [expect.stringMatching(/^yoga-/)] });
    expect((sent?.properties.recommendations as string[])).toEqual(shown?.properties.items);
    const dump = JSON.stringify(events);
    expect(dump).not.toContain('jane.doe@example.com');
    expect(dump).not.toContain('ai-u3');
    expect(dump).not.toContain('chat-1');
    await attune.close();
  });

  it('injection can be turned off per call; the turn is still logged', async () => {
    const { attune, store, model, wrapped } = setup();
    await generateText({ model: wrapped, system: 'Be brief.', prompt: 'yoga mats?', providerOptions: user('ai-u4', { inject: false }) });
    expect(systemText(model.doGenerateCalls[0].prompt)).toBe('Be brief.');
    const names = (await eventsOf(attune, store, 'ai-u4')).map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(['Message Received', 'Message Sent']));
    await attune.close();
  });

  it('a call without a user runs as it would without Attune, and logs nothing', async () => {
    const { attune, store, model, wrapped } = setup();
    await generateText({ model: wrapped, prompt: 'hello' });
    expect(systemText(model.doGenerateCalls[0].prompt)).toBe('');
    await attune.flush();
    expect((await store.readEvents({})).events).toEqual([]);
    await attune.close();
  });
});

describe('attuneMiddleware with streamText', () => {
  it('personalizes the prompt and logs the streamed answer once the stream ends', async () => {
    const { attune, store, model, wrapped } = setup();
    const result = streamText({ model: wrapped, prompt: 'any camping tent for a trip with my camping group?', providerOptions: user('ai-s1') });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    const system = systemText(model.doStreamCalls[0].prompt);
    expect(system).toContain('interested in camping');
    expect([...system.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]).every((id) => id.startsWith('camping-'))).toBe(true);
    const events = await eventsOf(attune, store, 'ai-s1');
    const sent = events.find((e) => e.event === 'Message Sent');
    expect(text).toMatch(/^You could try the camping item/);
    expect(sent?.properties.text).toBe(text.replace('help@shop.example', '<EMAIL>'));
    expect(events.some((e) => e.event === 'Recommendation Shown')).toBe(true);
    await attune.close();
  });
});

describe('an Attune failure leaves the call working', () => {
  it('with the store down, the call goes through unpersonalized', async () => {
    const store = new MemoryStore();
    store.readUser = async () => {
      throw new Error('store down');
    };
    const { attune, model, wrapped } = setup(store);
    const gen = await generateText({ model: wrapped, system: 'Shop.', prompt: 'yoga?', providerOptions: user('ai-f1') });
    const stream = streamText({ model: wrapped, system: 'Shop.', prompt: 'yoga?', providerOptions: user('ai-f1') });
    expect(gen.text).toBe('How can I help?');
    expect(await stream.text).toBe('How can I help?');
    expect(systemText(model.doGenerateCalls[0].prompt)).toBe('Shop.');
    expect(systemText(model.doStreamCalls[0].prompt)).toBe('Shop.');
    await attune.close();
  });

  it('when the engine itself throws, the call goes through unpersonalized', async () => {
    const { attune, model, wrapped } = setup();
    attune.handle = () => {
      throw new Error('engine broken');
    };
    const gen = await generateText({ model: wrapped, prompt: 'yoga?', providerOptions: user('ai-f2') });
    expect(gen.text).toBe('How can I help?');
    expect(model.doGenerateCalls).toHaveLength(1);
    await attune.close();
  });

  it('malformed per-call options are ignored, not passed on, and the call works', async () => {
    const { attune, model, wrapped } = setup();
    const gen = await generateText({ model: wrapped, prompt: 'yoga?', providerOptions: { attune: { userId: 42 } } });
    expect(gen.text).toBe('How can I help?');
    expect(model.doGenerateCalls[0].providerOptions).toBeUndefined();
    await attune.close();
  });

  it('a model that fails still fails as it would without Attune, and the turn is written without an answer', async () => {
    const { attune, store } = setup();
    const failing = mockModel(() => {
      throw new Error('provider down');
    });
    const wrapped = wrapLanguageModel({ model: failing, middleware: attuneMiddleware(attune) });
    await expect(generateText({ model: wrapped, prompt: 'yoga?', providerOptions: user('ai-f3'), maxRetries: 0 })).rejects.toThrow('provider down');
    const names = (await eventsOf(attune, store, 'ai-f3')).map((e) => e.event);
    expect(names).toContain('Message Received');
    expect(names).not.toContain('Message Sent');
    await attune.close();
  });
});
