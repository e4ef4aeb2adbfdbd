import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import catalog from '../../examples/ecommerce/catalog.json';

type Pushed = { name: string; entityOverrideMode: unknown; entities: { value: string; synonyms: string[] }[] };
interface Outcome {
  pushes: { session: string; statuses: number[]; pushed: Pushed[]; afterFirst: number; done: boolean };
  failing: { status: number; fulfillmentText: string; done: boolean };
}

const root = path.resolve(__dirname, '../..');

describe('personalized session entities (ES, SessionEntityTypes over REST, Google API mocked with nock)', () => {
  let outcome: Outcome;

  beforeAll(async () => {
    // nock 15 is ESM-only: the scenario runs under tsx and reports what happened as JSON.
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['test/support/dialogflow-entities-scenario.ts'], { cwd: root, env: { ...process.env, NODE_ENV: 'test' } });
    outcome = JSON.parse(stdout) as Outcome;
  }, 60_000);

  it('pushes recommended products and favourite categories for the session, once per change', () => {
    const { session, statuses, pushed, afterFirst, done } = outcome.pushes;
    expect(statuses).toEqual([200, 200]);
    expect(done).toBe(true);
    expect(afterFirst).toBe(2);
    expect(pushed).toHaveLength(2);
    const byName = Object.fromEntries(pushed.map((p) => [p.name, p]));
    const products = byName[`${session}/entityTypes/product`];
    expect(products.entities).toHaveLength(3);
    expect(products.entities.every((e) => catalog.find((i) => i.id === e.value)?.title === e.synonyms[0] && catalog.find((i) => i.id === e.value)?.category === 'running')).toBe(true);
    expect([2, 'ENTITY_OVERRIDE_MODE_SUPPLEMENT']).toContain(products.entityOverrideMode);
    expect(byName[`${session}/entityTypes/category`].entities[0]).toEqual({ value: 'running', synonyms: ['running'] });
  });

  it('a failing Google API is logged and never breaks the reply', () => {
    expect(outcome.failing).toEqual({ status: 200, fulfillmentText: expect.stringMatching(/Camping it is\./), done: true });
  });
});
